package com.example.subscriptions.webhooks;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the reports in an Amazon SES notification (the Message of an SNS Notification): a Bounce whose bounceType is
 * Permanent reports each bounced recipient, a Complaint each complained recipient. A Transient or Undetermined
 * bounce, a Delivery, or anything else reports nothing: SES retries the first itself, and the rest are not ours.
 * Both SES's notification form ({@code notificationType}) and its event-publishing form ({@code eventType}) are read.
 */
final class SesNotice {

    /** Recipients read from one notice at most; SES puts at most 50 recipients on a message. */
    static final int MAX_RECIPIENTS = 100;

    private SesNotice() {}

    /** The reports; empty for a notice that reports nothing of ours, or is not an SES notice at all. */
    static List<ProviderReport> reports(String message, String snsMessageId) {
        JsonNode notice;
        try {
            notice = Json.MAPPER.readTree(message);
        } catch (JsonProcessingException e) {
            return List.of();
        }
        if (notice == null || !notice.isObject()) {
            return List.of();
        }
        String kind =
                notice.path("notificationType").asText(notice.path("eventType").asText(""));
        return switch (kind) {
            case "Bounce" -> {
                JsonNode bounce = notice.path("bounce");
                yield "Permanent".equals(bounce.path("bounceType").asText())
                        ? recipients(
                                bounce.path("bouncedRecipients"),
                                SuppressionReason.BOUNCE,
                                recipient -> text(recipient.path("diagnosticCode"))
                                        .or(() -> text(recipient.path("status")))
                                        .or(() -> text(bounce.path("bounceSubType"))),
                                snsMessageId)
                        : List.of();
            }
            case "Complaint" -> {
                JsonNode complaint = notice.path("complaint");
                yield recipients(
                        complaint.path("complainedRecipients"),
                        SuppressionReason.COMPLAINT,
                        recipient -> text(complaint.path("complaintFeedbackType")),
                        snsMessageId);
            }
            default -> List.of();
        };
    }

    private interface Diagnostic {
        Optional<String> of(JsonNode recipient);
    }

    private static List<ProviderReport> recipients(
            JsonNode recipients, SuppressionReason reason, Diagnostic diagnostic, String snsMessageId) {
        List<ProviderReport> reports = new ArrayList<>();
        for (JsonNode recipient : recipients) {
            if (reports.size() == MAX_RECIPIENTS) {
                break;
            }
            Optional<String> address = text(recipient.path("emailAddress")).map(SesNotice::bareAddress);
            if (address.isEmpty() || !(EmailAddress.parse(address.get()) instanceof EmailAddress.Parsed.Valid valid)) {
                continue;
            }
            reports.add(new ProviderReport(
                    reason,
                    valid.email(),
                    ReportSource.SES,
                    diagnostic.of(recipient),
                    ProviderReport.commandId(ReportSource.SES, snsMessageId, valid.email())));
        }
        return reports;
    }

    /** {@code Bob <bob@example.com>} as SES may write it: the address between the angle brackets. */
    static String bareAddress(String address) {
        int open = address.lastIndexOf('<');
        int close = address.lastIndexOf('>');
        return open >= 0 && close > open ? address.substring(open + 1, close) : address;
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }
}
