package com.example.subscriptions.bounces;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads one message of the bounce mailbox: a {@code multipart/report} (RFC 6522) of report-type
 * {@code delivery-status} ({@link DeliveryStatusReport}) or {@code feedback-report} ({@link FeedbackReport}). Anything
 * else, and anything malformed or too large, is {@link MailboxReport.Unparsed}: never an exception.
 */
public final class ReportReader {

    /** A report is a few KiB, with the returned message's headers or a copy of one email; anything larger is not one. */
    public static final int MAX_MESSAGE_BYTES = 1 << 20;
    /** A report has two or three parts; a few more are tolerated, not thousands. */
    static final int MAX_PARTS = 16;
    /** The longest diagnostic a command may carry ({@code Command.Suppress.MAX_DIAGNOSTIC}). */
    static final int MAX_DIAGNOSTIC = 1000;

    private final Session session = Session.getInstance(new Properties());
    private final Optional<String> ourDomain;
    private final boolean requireOurMessage;

    /**
     * @param ourDomain the domain of {@code mail.from}, which names our Message-IDs; empty if unknown
     * @param requireOurMessage whether a report counts only when it returns a message of ours sent to the subscriber
     *     it names, which keeps out backscatter (DSNs of spam that forged our address) and forgeries that do not know
     *     our Message-IDs, at the price of the reports that return nothing
     */
    public ReportReader(Optional<String> ourDomain, boolean requireOurMessage) {
        this.ourDomain = ourDomain;
        this.requireOurMessage = requireOurMessage;
    }

    public MailboxReport read(byte[] raw) {
        if (raw.length > MAX_MESSAGE_BYTES) {
            return new MailboxReport.Unparsed("oversized: " + raw.length + " bytes, over " + MAX_MESSAGE_BYTES);
        }
        try {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw));
            ContentType type = new ContentType(
                    Optional.ofNullable(message.getContentType()).orElse("text/plain"));
            if (!type.match("multipart/report")) {
                return new MailboxReport.Unparsed(
                        "not a report: " + type.getBaseType().toLowerCase(Locale.ROOT));
            }
            int delimiters = delimiterLines(raw, type.getParameter("boundary"));
            if (delimiters > MAX_PARTS + 1) {
                // Counted before Jakarta Mail splits the parts, which takes seconds for thousands of them.
                return new MailboxReport.Unparsed(
                        "a report of about " + (delimiters - 1) + " parts, over " + MAX_PARTS);
            }
            MimeMultipart multipart = new MimeMultipart(message.getDataHandler().getDataSource());
            ReportParts parts = new ReportParts(multipart);
            String reportId = reportId(message, raw);
            String reportType = Optional.ofNullable(type.getParameter("report-type"))
                    .orElse("")
                    .toLowerCase(Locale.ROOT);
            MailboxReport report = switch (reportType) {
                case "delivery-status", "global-delivery-status" ->
                    DeliveryStatusReport.read(parts, reportId, ourDomain);
                case "feedback-report" -> FeedbackReport.read(parts, reportId, ourDomain);
                default -> new MailboxReport.Unparsed("a report of type '" + reportType + "'");
            };
            return requireOurMessage ? aboutOurMessage(report, parts) : report;
        } catch (MessagingException | IOException | RuntimeException e) {
            // Malformed MIME surfaces as any of these; none of it is ours to crash on.
            return new MailboxReport.Unparsed("malformed: " + e.getClass().getSimpleName());
        }
    }

    /** The report, if it returns a message of ours sent to every subscriber it names; else unparsed. */
    private MailboxReport aboutOurMessage(MailboxReport report, ReportParts parts)
            throws MessagingException, IOException {
        if (!(report instanceof MailboxReport.Suppressions suppressions)) {
            return report;
        }
        Optional<EmailAddress> sentTo =
                parts.returnedHeaders().flatMap(headers -> ReturnedMessage.subscriber(headers, ourDomain));
        boolean ours = sentTo.isPresent()
                && suppressions.found().stream().allMatch(found -> found.email().equals(sentTo.get()));
        return ours
                ? report
                : new MailboxReport.Unparsed("not about a message of ours (bounces.imap.require-our-message): "
                        + (sentTo.isEmpty() ? "it returns none" : "it returns one sent to someone else"));
    }

    /** Lines that start with {@code --boundary} (each part's, and the closing one), anywhere in the message. */
    private static int delimiterLines(byte[] raw, String boundary) {
        if (boundary == null || boundary.isEmpty()) {
            return 0; // Jakarta Mail refuses the multipart itself
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        String delimiter = "\n--" + boundary;
        int count = text.startsWith(delimiter.substring(1)) ? 1 : 0;
        for (int at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, at + delimiter.length())) {
            count++;
        }
        return count;
    }

    /** The report's Message-ID, the same every time the mailbox is read; a digest of the message without one. */
    private static String reportId(MimeMessage message, byte[] raw) throws MessagingException {
        String messageId = message.getHeader("Message-ID", null);
        return messageId != null && !messageId.isBlank() ? messageId.strip() : "sha256:" + sha256(raw);
    }

    /**
     * {@code bounce-dsn-<digest>}: the same for the same report and subscriber on every read, so a report published
     * again (a crash between Kafka's acknowledgement and the move) has the id of its first publication.
     */
    static String commandId(SuppressionReason reason, ReportSource source, String reportId, EmailAddress email) {
        String digest = sha256((reportId + "\n" + email.value()).getBytes(StandardCharsets.UTF_8));
        return reason.wireName() + "-" + source.wireName() + "-" + digest.substring(0, 32);
    }

    static String bounded(String text) {
        return text.codePointCount(0, text.length()) <= MAX_DIAGNOSTIC
                ? text
                : text.substring(0, text.offsetByCodePoints(0, MAX_DIAGNOSTIC));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
