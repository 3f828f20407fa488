package com.example.subscriptions.app;

import com.example.subscriptions.bounces.BounceCommands;
import com.example.subscriptions.bounces.BounceMailbox;
import com.example.subscriptions.bounces.ReportReader;
import com.example.subscriptions.config.BouncesSettings;
import com.example.subscriptions.config.MailSettings;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounces role: reads the bounce mailbox over IMAP and publishes each bounce and complaint it finds to the commands
 * topic. It needs Kafka and the mailbox, not Temporal; one instance is enough (two would publish a report twice, with
 * one command id, and the second is answered {@code ALREADY_SUPPRESSED}). Off while {@code bounces.imap.host} is empty.
 */
final class BouncesRole {

    private static final Logger log = LoggerFactory.getLogger(BouncesRole.class);
    /** How long a poll waits for Kafka to take a report's commands before leaving the message for the next poll. */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private BouncesRole() {}

    static void start(Wiring wiring) {
        BouncesSettings settings = wiring.settings.bounces();
        if (!settings.enabled()) {
            log.info("No bounce mailbox is read: bounces.imap.host is empty");
            return;
        }
        Optional<String> ourDomain = fromDomain(wiring.settings.mail());
        BounceMailbox mailbox = new BounceMailbox(
                settings,
                new ReportReader(ourDomain, settings.requireOurMessage()),
                new BounceCommands(
                        wiring.kafka().publisher(), wiring.settings.topics().commands(), KAFKA_TIMEOUT),
                wiring.metrics.bounceMailbox(),
                wiring.emailMask,
                Clock.systemUTC());
        wiring.metrics.bounceMailboxReachable(mailbox::reachable);
        // Registered after the shared producer, so stopped before it: a poll under way still gets its acknowledgement.
        wiring.onStop(() -> mailbox.stop(wiring.settings.shutdownTimeout()));
        mailbox.start();
        log.info(
                "Reading the bounce mailbox {}:{}/{} every {}; a returned message is ours when its Message-ID is at {}",
                settings.host().orElseThrow(),
                settings.port(),
                settings.folder(),
                settings.pollInterval(),
                ourDomain.orElse("any domain (mail.from is empty)"));
    }

    /** The domain of {@code mail.from}, which names our Message-IDs. */
    static Optional<String> fromDomain(MailSettings mail) {
        return mail.from().flatMap(from -> {
            try {
                String address = new InternetAddress(from, false).getAddress();
                int at = address.lastIndexOf('@');
                return at < 0 ? Optional.empty() : Optional.of(address.substring(at + 1));
            } catch (AddressException e) {
                return Optional.empty();
            }
        });
    }
}
