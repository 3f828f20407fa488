package com.example.subscriptions.bounces;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A delivery status notification (RFC 3464): a bounce for each recipient whose delivery {@code failed} with a status
 * that says the address is gone, by the rule the worker applies to its own SMTP replies (README, "Email delivery"):
 * {@code 5.1.x} except {@code 5.1.7} and {@code 5.1.8} (about the sender), and {@code 5.2.1}. A delay, a delivery, a
 * {@code 4.x.x}, a full mailbox ({@code 5.2.2}) or a message refused for its content or our domain ({@code 5.7.x})
 * suppresses nobody.
 */
final class DeliveryStatusReport {

    static final List<String> TYPES = List.of("message/delivery-status", "message/global-delivery-status");
    private static final Pattern STATUS = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    private DeliveryStatusReport() {}

    static MailboxReport read(ReportParts parts, String reportId, Optional<String> ourDomain)
            throws MessagingException, IOException {
        Optional<List<InternetHeaders>> blocks = parts.fieldBlocks(TYPES);
        if (blocks.isEmpty()) {
            return new MailboxReport.Unparsed("a delivery-status report without a message/delivery-status part");
        }
        Map<EmailAddress, MailboxReport.Found> found = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        int recipients = 0;
        boolean unmatched = false;
        for (InternetHeaders block : blocks.get()) {
            String action = field(block, "Action").toLowerCase(Locale.ROOT);
            if (action.isEmpty()) {
                continue; // the per-message fields (Reporting-MTA, Arrival-Date, ...)
            }
            recipients++;
            String status = field(block, "Status");
            if (!action.equals("failed") || !addressGone(status)) {
                ignored.add(action + " " + (status.isEmpty() ? "without status" : status));
                continue;
            }
            Optional<EmailAddress> recipient = recipient(block, "Final-Recipient")
                    .or(() -> recipient(block, "Original-Recipient"))
                    .or(() -> returnedTo(parts, ourDomain));
            if (recipient.isEmpty()) {
                unmatched = true;
                continue;
            }
            String diagnostic = field(block, "Diagnostic-Code");
            found.putIfAbsent(
                    recipient.get(),
                    new MailboxReport.Found(
                            SuppressionReason.BOUNCE,
                            ReportSource.DSN,
                            recipient.get(),
                            ReportReader.bounded(diagnostic.isEmpty() ? "status " + status : diagnostic),
                            ReportReader.commandId(
                                    SuppressionReason.BOUNCE, ReportSource.DSN, reportId, recipient.get())));
        }
        if (!found.isEmpty()) {
            return new MailboxReport.Suppressions(List.copyOf(found.values()));
        }
        if (unmatched) {
            return new MailboxReport.Unparsed(
                    "a failed delivery whose recipient is named nowhere: no Final-Recipient, no returned message of ours");
        }
        if (recipients == 0) {
            return new MailboxReport.Unparsed("a delivery-status report without a per-recipient Action");
        }
        return new MailboxReport.Ignored("no address gone: " + String.join(", ", ignored));
    }

    /** RFC 3463 status, by the README's table: the address is gone. */
    static boolean addressGone(String status) {
        Matcher matcher = STATUS.matcher(status);
        if (!matcher.find() || !matcher.group(1).equals("5")) {
            return false;
        }
        int subject = Integer.parseInt(matcher.group(2));
        int detail = Integer.parseInt(matcher.group(3));
        return subject == 1 && detail != 7 && detail != 8 || subject == 2 && detail == 1;
    }

    /** {@code rfc822; bob@example.com}: only the rfc822 address type names a mailbox. */
    private static Optional<EmailAddress> recipient(InternetHeaders block, String name) {
        String value = field(block, name);
        int semicolon = value.indexOf(';');
        if (semicolon < 0 || !value.substring(0, semicolon).strip().equalsIgnoreCase("rfc822")) {
            return Optional.empty();
        }
        return ReturnedMessage.address(value.substring(semicolon + 1));
    }

    private static Optional<EmailAddress> returnedTo(ReportParts parts, Optional<String> ourDomain) {
        try {
            return parts.returnedHeaders().flatMap(headers -> ReturnedMessage.subscriber(headers, ourDomain));
        } catch (MessagingException | IOException e) {
            return Optional.empty();
        }
    }

    /** A field's value, unfolded and trimmed; "" when absent. */
    static String field(InternetHeaders block, String name) {
        String value = block.getHeader(name, " ");
        return value == null ? "" : value.replaceAll("\\s+", " ").strip();
    }
}
