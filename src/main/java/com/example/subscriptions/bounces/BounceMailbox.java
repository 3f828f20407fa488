package com.example.subscriptions.bounces;

import com.example.subscriptions.config.BouncesSettings;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bounce mailbox over IMAP every poll interval: each report's bounces and complaints are published, and once
 * Kafka has acknowledged them the message is moved to the processed folder (or deleted); a message that changes
 * nothing is filed the same way; what is no report goes to the unparsed folder, logged once. A mailbox that cannot be
 * reached is a condition of the environment: retried every poll, logged at most once a minute, never fatal.
 */
public final class BounceMailbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BounceMailbox.class);
    /** Messages read per poll at most; a backlog larger than that drains over several polls. */
    static final int MAX_PER_POLL = 500;

    /** What the service counts of the reader. */
    public interface Observer {
        /** A message read, by {@link MailboxReport#kind()}. */
        void read(String kind);

        /** A poll that could not reach the mailbox. */
        void pollFailed();
    }

    private final BouncesSettings settings;
    private final ImapMailbox imap;
    private final ReportReader reader;
    private final BounceCommands commands;
    private final Observer observer;
    private final UnaryOperator<String> emailMask;
    private final ThrottledWarning mailboxDown;
    private final ThrottledWarning kafkaDown;
    /** Unparsed messages already logged, for those that cannot be moved out of the folder (bounded). */
    private final Set<String> warnedUnparsed = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    });

    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bounce-mailbox");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean reachable;

    public BounceMailbox(
            BouncesSettings settings,
            ReportReader reader,
            BounceCommands commands,
            Observer observer,
            UnaryOperator<String> emailMask,
            Clock clock) {
        this.settings = settings;
        this.imap = new ImapMailbox(settings);
        this.reader = reader;
        this.commands = commands;
        this.observer = observer;
        this.emailMask = emailMask;
        this.mailboxDown = new ThrottledWarning(log, Duration.ofMinutes(1), clock);
        this.kafkaDown = new ThrottledWarning(log, Duration.ofMinutes(1), clock);
    }

    /** Polls at once, then every poll interval after the previous poll ended. */
    public BounceMailbox start() {
        poller.scheduleWithFixedDelay(this::poll, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether the last poll reached the mailbox. */
    public boolean reachable() {
        return reachable;
    }

    void poll() {
        try {
            readMailbox();
            if (!reachable) {
                log.info("Bounce mailbox {} read", imap.where());
            }
            reachable = true;
        } catch (BounceCommands.NotAcknowledged e) {
            reachable = true;
            kafkaDown.warn("Bounce mailbox: " + e.getMessage() + "; the report stays in the mailbox for the next poll");
        } catch (MessagingException | IOException | RuntimeException e) {
            reachable = false;
            observer.pollFailed();
            mailboxDown.warn("Bounce mailbox " + imap.where() + " not read, trying again in " + settings.pollInterval()
                    + ": " + oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readMailbox()
            throws MessagingException, IOException, BounceCommands.NotAcknowledged, InterruptedException {
        try (Store store = imap.connect()) {
            Folder processed = settings.handled() == BouncesSettings.Handled.MOVE
                    ? ImapMailbox.existing(store, settings.processedFolder())
                    : null;
            Folder unparsed = ImapMailbox.existing(store, settings.unparsedFolder());
            Folder inbox = store.getFolder(settings.folder());
            inbox.open(Folder.READ_WRITE);
            try {
                int count = Math.min(inbox.getMessageCount(), MAX_PER_POLL);
                if (count == 0) {
                    return;
                }
                Message[] messages = inbox.getMessages(1, count);
                FetchProfile sizes = new FetchProfile();
                sizes.add(FetchProfile.Item.SIZE);
                inbox.fetch(messages, sizes);
                for (Message message : messages) {
                    if (!message.isExpunged() && !message.isSet(Flags.Flag.DELETED)) {
                        handle(store, inbox, message, processed, unparsed);
                    }
                }
            } finally {
                inbox.close(true); // expunges what was deleted or copied away
            }
        }
    }

    private void handle(Store store, Folder inbox, Message message, Folder processed, Folder unparsed)
            throws MessagingException, IOException, BounceCommands.NotAcknowledged, InterruptedException {
        MailboxReport report = message.getSize() > ReportReader.MAX_MESSAGE_BYTES
                ? new MailboxReport.Unparsed("oversized: " + message.getSize() + " bytes")
                : reader.read(raw(message));
        if (report instanceof MailboxReport.Suppressions suppressions) {
            commands.publish(suppressions.found());
            // The diagnostic stays out of the log: it usually repeats the address.
            suppressions
                    .found()
                    .forEach(found -> log.info(
                            "Bounce mailbox: {} of {} published ({})",
                            found.reason().wireName(),
                            emailMask.apply(found.email().value()),
                            found.commandId()));
            ImapMailbox.file(store, inbox, message, processed);
        } else if (report instanceof MailboxReport.Ignored ignored) {
            log.info("Bounce mailbox: {} changes nothing: {}", describe(message), ignored.why());
            ImapMailbox.file(store, inbox, message, processed);
        } else if (report instanceof MailboxReport.Unparsed why) {
            if (warnedUnparsed.add(describe(message))) {
                log.warn(
                        "Bounce mailbox: {} is no report this reader can act on ({}); moved to '{}'",
                        describe(message),
                        why.why(),
                        settings.unparsedFolder());
            }
            ImapMailbox.file(store, inbox, message, unparsed);
        }
        observer.read(report.kind());
    }

    private static byte[] raw(Message message) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(message.getSize(), 1024));
        message.writeTo(out);
        return out.toByteArray();
    }

    /** Jakarta Mail's messages run over several lines ("nested exception is: ..."); a log line holds one. */
    private static String oneLine(Exception e) {
        String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
        return (e.getClass().getSimpleName() + ": " + e.getMessage() + cause).replaceAll("\\s+", " ");
    }

    private static String describe(Message message) throws MessagingException {
        String[] ids = message.getHeader("Message-ID");
        return ids == null || ids.length == 0
                ? "the message of " + message.getSentDate() + " without Message-ID"
                : "message " + ids[0];
    }

    /** Stops polling; a poll under way ends first, for at most {@code timeout}. */
    public void stop(Duration timeout) {
        poller.shutdown();
        try {
            if (!poller.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                poller.shutdownNow();
            }
        } catch (InterruptedException e) {
            poller.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
