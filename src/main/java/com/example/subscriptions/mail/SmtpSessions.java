package com.example.subscriptions.mail;

import com.example.subscriptions.config.MailSettings;
import jakarta.mail.Session;
import java.util.Properties;

/** The Jakarta Mail session the settings describe: server, TLS, timeouts, AUTH, then the {@code mail.smtp.*} keys. */
final class SmtpSessions {

    private SmtpSessions() {}

    static Session of(MailSettings settings) {
        Properties properties = new Properties();
        properties.setProperty("mail.transport.protocol", "smtp");
        properties.setProperty("mail.smtp.host", settings.host().orElseThrow());
        properties.setProperty("mail.smtp.port", Integer.toString(settings.port()));
        properties.setProperty(
                "mail.smtp.connectiontimeout",
                Long.toString(settings.connectTimeout().toMillis()));
        properties.setProperty(
                "mail.smtp.timeout", Long.toString(settings.readTimeout().toMillis()));
        properties.setProperty(
                "mail.smtp.writetimeout", Long.toString(settings.readTimeout().toMillis()));
        switch (settings.tls()) {
            case IMPLICIT -> properties.setProperty("mail.smtp.ssl.enable", "true");
            case STARTTLS_REQUIRED -> {
                properties.setProperty("mail.smtp.starttls.enable", "true");
                properties.setProperty("mail.smtp.starttls.required", "true");
            }
            case STARTTLS_OPTIONAL -> properties.setProperty("mail.smtp.starttls.enable", "true");
            case OFF -> properties.setProperty("mail.smtp.starttls.enable", "false");
        }
        // Angus checks that a TLS server's certificate names the host it connected to, unless told otherwise.
        properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        settings.username().ifPresent(user -> {
            properties.setProperty("mail.smtp.auth", "true");
            properties.setProperty("mail.smtp.user", user);
        });
        properties.putAll(settings.smtpProperties());
        return Session.getInstance(properties);
    }
}
