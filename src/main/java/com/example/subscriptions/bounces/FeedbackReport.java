package com.example.subscriptions.bounces;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An abuse feedback report (ARF, RFC 5965): {@code Feedback-Type: abuse} is a complaint by the original recipient,
 * named by {@code Original-Rcpt-To}, else by the {@code To} of the returned message when it is one of ours. Any other
 * feedback type (fraud, virus, auth-failure, not-spam, other) suppresses nobody.
 */
final class FeedbackReport {

    static final List<String> TYPES = List.of("message/feedback-report");

    private FeedbackReport() {}

    static MailboxReport read(ReportParts parts, String reportId, Optional<String> ourDomain)
            throws MessagingException, IOException {
        Optional<List<InternetHeaders>> blocks = parts.fieldBlocks(TYPES);
        if (blocks.isEmpty() || blocks.get().isEmpty()) {
            return new MailboxReport.Unparsed("a feedback report without a message/feedback-report part");
        }
        InternetHeaders fields = blocks.get().get(0);
        String feedbackType =
                DeliveryStatusReport.field(fields, "Feedback-Type").toLowerCase(Locale.ROOT);
        if (feedbackType.isEmpty()) {
            return new MailboxReport.Unparsed("a feedback report without Feedback-Type");
        }
        if (!feedbackType.equals("abuse")) {
            return new MailboxReport.Ignored("feedback type " + feedbackType);
        }
        Set<EmailAddress> recipients = new LinkedHashSet<>();
        String[] rcptTo = fields.getHeader("Original-Rcpt-To");
        if (rcptTo != null) {
            for (String written : rcptTo) {
                ReturnedMessage.address(written).ifPresent(recipients::add);
            }
        }
        if (recipients.isEmpty()) {
            parts.returnedHeaders()
                    .flatMap(headers -> ReturnedMessage.subscriber(headers, ourDomain))
                    .ifPresent(recipients::add);
        }
        if (recipients.isEmpty()) {
            return new MailboxReport.Unparsed("an abuse report whose recipient is named nowhere (redacted?): no"
                    + " Original-Rcpt-To, no returned message of ours with a To");
        }
        String userAgent = DeliveryStatusReport.field(fields, "User-Agent");
        String diagnostic = ReportReader.bounded("abuse" + (userAgent.isEmpty() ? "" : "; reported by " + userAgent));
        return new MailboxReport.Suppressions(recipients.stream()
                .map(email -> new MailboxReport.Found(
                        SuppressionReason.COMPLAINT,
                        ReportSource.ARF,
                        email,
                        diagnostic,
                        ReportReader.commandId(SuppressionReason.COMPLAINT, ReportSource.ARF, reportId, email)))
                .toList());
    }
}
