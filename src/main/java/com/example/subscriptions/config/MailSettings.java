package com.example.subscriptions.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How emails are delivered: logged ({@code mail.sender=log}, the tutorial's simulation) or sent over SMTP.
 *
 * @param from required for SMTP; an address, optionally with a display name ({@code News <news@example.com>})
 * @param smtpProperties the {@code mail.smtp.*} settings, handed as they are to the Jakarta Mail session
 * @param maxPerSecond emails a second across every worker of the task queue (Temporal's task-queue activity rate
 *     limit, enforced by the server); empty: no limit
 * @param maxPerSecondPerWorker emails a second from one worker process; empty: no limit
 */
public record MailSettings(
        Sender sender,
        Optional<String> host,
        int port,
        Tls tls,
        Optional<String> username,
        Optional<String> password,
        Optional<String> from,
        Optional<String> replyTo,
        Duration connectTimeout,
        Duration readTimeout,
        Path templatesDir,
        Map<String, String> smtpProperties,
        Optional<Double> maxPerSecond,
        Optional<Double> maxPerSecondPerWorker) {

    /** Where templates are looked for by default; when it does not exist, the defaults packaged in the jar serve. */
    public static final Path DEFAULT_TEMPLATES_DIR = Path.of("config", "mail");

    public enum Sender {
        LOG,
        SMTP
    }

    /** How the connection to the SMTP server is protected. */
    public enum Tls {
        /** Upgrade with STARTTLS, and refuse to send if the server does not offer it (port 587). */
        STARTTLS_REQUIRED("starttls-required"),
        /** Upgrade with STARTTLS when the server offers it, else send in the clear. */
        STARTTLS_OPTIONAL("starttls-optional"),
        /** TLS from the first byte (port 465, "SMTPS"). */
        IMPLICIT("implicit"),
        /** Plain text: only for a relay on the same host or network, or a development mail catcher. */
        OFF("off");

        private final String setting;

        Tls(String setting) {
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }

    public MailSettings {
        smtpProperties = Map.copyOf(smtpProperties);
    }

    static MailSettings read(Values v) {
        Sender sender = v.choice("mail.sender", Sender.class, s -> s.name());
        boolean smtpSender = sender == Sender.SMTP;
        Optional<String> username = v.optional("mail.username");
        Optional<String> password = v.optional("mail.password");
        if (password.isPresent() && username.isEmpty()) {
            throw new ConfigException(
                    "Setting 'mail.password' is set but 'mail.username' is empty; set both or" + " neither");
        }
        Map<String, String> smtp = new LinkedHashMap<>();
        v.withPrefix(MailSmtpProperties.PREFIX).forEach((key, value) -> smtp.put(key, value.trim()));
        return new MailSettings(
                sender,
                smtpSender ? Optional.of(v.text("mail.host")) : v.optional("mail.host"),
                v.tcpPort("mail.port"),
                v.choice("mail.tls", Tls.class, Tls::setting),
                username,
                password,
                smtpSender ? Optional.of(v.text("mail.from")) : v.optional("mail.from"),
                v.optional("mail.reply-to"),
                v.positiveDuration("mail.connect-timeout"),
                v.positiveDuration("mail.read-timeout"),
                Path.of(v.text("mail.templates-dir")),
                smtp,
                v.optionalPositiveRate("mail.max-per-second"),
                v.optionalPositiveRate("mail.max-per-second-per-worker"));
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        smtpProperties.forEach((key, value) -> shown.put(key, KafkaClientSettings.isSecret(key) ? "[hidden]" : value));
        return "MailSettings[sender=" + sender.name().toLowerCase(java.util.Locale.ROOT) + ", host=" + host.orElse("")
                + ", port=" + port + ", tls=" + tls.setting() + ", username=" + username.orElse("")
                + ", password=" + password.map(p -> "[hidden]").orElse("none") + ", from=" + from.orElse("")
                + ", replyTo=" + replyTo.orElse("") + ", connectTimeout=" + connectTimeout + ", readTimeout="
                + readTimeout + ", templatesDir=" + templatesDir + ", smtp=" + shown + ", maxPerSecond="
                + maxPerSecond.map(String::valueOf).orElse("none") + ", maxPerSecondPerWorker="
                + maxPerSecondPerWorker.map(String::valueOf).orElse("none") + "]";
    }
}
