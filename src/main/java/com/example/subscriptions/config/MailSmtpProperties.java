package com.example.subscriptions.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code mail.smtp.*} settings the service hands to Jakarta Mail (Eclipse Angus) as they are, as it does
 * {@code kafka.*} to Kafka. Only names Angus's SMTP provider documents are accepted, so a typo stops the start instead
 * of being ignored; those the service derives from its own {@code mail.*} settings are refused with the setting to use.
 */
final class MailSmtpProperties {

    static final String PREFIX = "mail.smtp.";

    /** String-valued properties documented for Angus Mail 2.0's SMTP provider, less those set from our settings. */
    private static final Set<String> PASS_THROUGH = Set.of(
            "mail.smtp.allow8bitmime",
            "mail.smtp.auth.digest-md5.disable",
            "mail.smtp.auth.login.disable",
            "mail.smtp.auth.mechanisms",
            "mail.smtp.auth.ntlm.disable",
            "mail.smtp.auth.ntlm.domain",
            "mail.smtp.auth.ntlm.flags",
            "mail.smtp.auth.ntlm.lmcompat",
            "mail.smtp.auth.ntlm.unicode",
            "mail.smtp.auth.plain.disable",
            "mail.smtp.auth.xoauth2.disable",
            "mail.smtp.chunksize",
            "mail.smtp.dsn.notify",
            "mail.smtp.dsn.ret",
            "mail.smtp.ehlo",
            "mail.smtp.from",
            "mail.smtp.localaddress",
            "mail.smtp.localhost",
            "mail.smtp.localport",
            "mail.smtp.mailextension",
            "mail.smtp.noop.strict",
            "mail.smtp.proxy.host",
            "mail.smtp.proxy.password",
            "mail.smtp.proxy.port",
            "mail.smtp.proxy.user",
            "mail.smtp.quitonsessionreject",
            "mail.smtp.quitwait",
            "mail.smtp.sasl.authorizationid",
            "mail.smtp.sasl.enable",
            "mail.smtp.sasl.mechanisms",
            "mail.smtp.sasl.realm",
            "mail.smtp.sasl.usecanonicalhostname",
            "mail.smtp.socketFactory.class",
            "mail.smtp.socketFactory.fallback",
            "mail.smtp.socketFactory.port",
            "mail.smtp.socks.host",
            "mail.smtp.socks.port",
            "mail.smtp.ssl.checkserveridentity",
            "mail.smtp.ssl.ciphersuites",
            "mail.smtp.ssl.hostnameverifier.class",
            "mail.smtp.ssl.protocols",
            "mail.smtp.ssl.socketFactory.class",
            "mail.smtp.ssl.socketFactory.port",
            "mail.smtp.ssl.trust",
            "mail.smtp.submitter",
            "mail.smtp.userset");

    /** Properties the service sets itself, and the setting that decides each. */
    private static final Map<String, String> DERIVED = Map.ofEntries(
            Map.entry("mail.smtp.host", "mail.host"),
            Map.entry("mail.smtp.port", "mail.port"),
            Map.entry("mail.smtp.user", "mail.username"),
            Map.entry("mail.smtp.auth", "mail.username"),
            Map.entry("mail.smtp.ssl.enable", "mail.tls"),
            Map.entry("mail.smtp.starttls.enable", "mail.tls"),
            Map.entry("mail.smtp.starttls.required", "mail.tls"),
            Map.entry("mail.smtp.connectiontimeout", "mail.connect-timeout"),
            Map.entry("mail.smtp.timeout", "mail.read-timeout"),
            Map.entry("mail.smtp.writetimeout", "mail.read-timeout"));

    private MailSmtpProperties() {}

    /** The key if it may be passed through; else a {@link ConfigException} naming it and its source. */
    static String checkKnown(String key, String source) {
        if (PASS_THROUGH.contains(key)) {
            return key;
        }
        String instead = DERIVED.get(key);
        if (instead != null) {
            throw new ConfigException("Setting '" + key + "' (from " + source + ") is set by the service from '"
                    + instead + "'; set that instead");
        }
        throw new ConfigException("Unknown Jakarta Mail setting '" + key + "' (from " + source + "): not a"
                + " string-valued SMTP property of Angus Mail");
    }

    /**
     * The property an environment variable names: {@code MAIL_SMTP_SSL_TRUST} is {@code mail.smtp.ssl.trust}. Found
     * by name, because some properties are camel-cased ({@code socketFactory}) or hyphenated, which a variable cannot
     * spell; an unknown name comes back lower-cased with dots, for the error to name.
     */
    static Optional<String> fromEnvironment(String variable) {
        if (!variable.startsWith("MAIL_SMTP_")) {
            return Optional.empty();
        }
        for (String key : PASS_THROUGH) {
            if (ConfigSources.envName(key).equals(variable)) {
                return Optional.of(key);
            }
        }
        for (String key : DERIVED.keySet()) {
            if (ConfigSources.envName(key).equals(variable)) {
                return Optional.of(key);
            }
        }
        return Optional.of(variable.toLowerCase(Locale.ROOT).replace('_', '.'));
    }
}
