package com.example.subscriptions.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The bounce mailbox the {@code bounces} role reads over IMAP: off while {@code bounces.imap.host} is empty.
 *
 * @param folder where the relay's DSNs and the feedback loops' reports arrive
 * @param handled what becomes of a message once read: moved to {@code processedFolder} or deleted
 * @param unparsedFolder where a message that is no report goes, kept for a person to read
 * @param timeout to connect, and for each IMAP reply
 * @param requireOurMessage whether a report counts only when it returns a message of ours sent to the subscriber
 */
public record BouncesSettings(
        Optional<String> host,
        int port,
        Tls tls,
        Optional<String> username,
        Optional<String> password,
        String folder,
        Handled handled,
        String processedFolder,
        String unparsedFolder,
        Duration pollInterval,
        Duration timeout,
        boolean requireOurMessage) {

    /** How the connection to the IMAP server is protected. */
    public enum Tls {
        /** TLS from the first byte (port 993, "IMAPS"). */
        IMPLICIT("implicit"),
        /** Upgrade with STARTTLS, and refuse to log in if the server does not offer it (port 143). */
        STARTTLS_REQUIRED("starttls-required"),
        /** Plain text: only for a server on this host or network, or a test's. */
        OFF("off");

        private final String setting;

        Tls(String setting) {
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }

    /** What becomes of a message whose report was published, or that changes nothing. */
    public enum Handled {
        MOVE,
        DELETE
    }

    public boolean enabled() {
        return host.isPresent();
    }

    static BouncesSettings read(Values v) {
        Optional<String> host = v.optional("bounces.imap.host");
        Optional<String> username = v.optional("bounces.imap.username");
        if (host.isPresent() && username.isEmpty()) {
            throw new ConfigException("Setting 'bounces.imap.username' must be set when bounces.imap.host is: the"
                    + " mailbox's login (often its address)");
        }
        String folder = v.text("bounces.imap.folder");
        String processed = v.text("bounces.imap.processed-folder");
        String unparsed = v.text("bounces.imap.unparsed-folder");
        if (folder.equalsIgnoreCase(processed) || folder.equalsIgnoreCase(unparsed)) {
            throw new ConfigException("Settings 'bounces.imap.processed-folder' and 'bounces.imap.unparsed-folder'"
                    + " must differ from 'bounces.imap.folder' ('" + folder + "'): the reader would read its own"
                    + " filing again");
        }
        return new BouncesSettings(
                host,
                v.tcpPort("bounces.imap.port"),
                v.choice("bounces.imap.tls", Tls.class, Tls::setting),
                username,
                v.optional("bounces.imap.password"),
                folder,
                v.choice("bounces.imap.handled", Handled.class, h -> h.name()),
                processed,
                unparsed,
                v.positiveDuration("bounces.imap.poll-interval"),
                v.positiveDuration("bounces.imap.timeout"),
                v.bool("bounces.imap.require-our-message"));
    }

    @Override
    public String toString() {
        return "BouncesSettings[host=" + host.orElse("") + ", port=" + port + ", tls=" + tls.setting() + ", username="
                + username.orElse("") + ", password="
                + password.map(p -> "[hidden]").orElse("none") + ", folder="
                + folder + ", handled=" + handled.name().toLowerCase(java.util.Locale.ROOT) + ", processedFolder="
                + processedFolder + ", unparsedFolder=" + unparsedFolder + ", pollInterval=" + pollInterval
                + ", timeout=" + timeout + ", requireOurMessage=" + requireOurMessage + "]";
    }
}
