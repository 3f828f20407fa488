package com.example.subscriptions.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SesNoticeTest {

    @Test
    void aPermanentBounceReportsEachBouncedRecipientWithItsDiagnostic() {
        Map<String, String> recipients = new LinkedHashMap<>();
        recipients.put("Bob@Example.com", "smtp; 550 5.1.1 user unknown");
        recipients.put("Carol <carol@example.com>", "smtp; 550 5.1.1 no such user");
        List<ProviderReport> reports = SesNotice.reports(SnsTestMessages.permanentBounce(recipients), "sns-1");

        assertEquals(2, reports.size());
        assertEquals("bob@example.com", reports.get(0).email().value());
        assertEquals("carol@example.com", reports.get(1).email().value());
        assertEquals(SuppressionReason.BOUNCE, reports.get(0).reason());
        assertEquals(ReportSource.SES, reports.get(0).source());
        assertEquals(Optional.of("smtp; 550 5.1.1 user unknown"), reports.get(0).diagnostic());
    }

    @Test
    void theSameSnsMessageGivesTheSameCommandIdsAndEachRecipientItsOwn() {
        String notice = SnsTestMessages.permanentBounce(Map.of("a@example.com", "550", "b@example.com", "550"));
        List<String> first = SesNotice.reports(notice, "sns-1").stream()
                .map(ProviderReport::commandId)
                .toList();
        List<String> again = SesNotice.reports(notice, "sns-1").stream()
                .map(ProviderReport::commandId)
                .toList();
        assertEquals(first, again);
        assertEquals(2, first.stream().distinct().count());
        assertEquals(true, first.get(0).startsWith("ses-sns-1-"));
    }

    @Test
    void aComplaintReportsEachComplainedRecipient() {
        List<ProviderReport> reports = SesNotice.reports(SnsTestMessages.complaint("dave@example.com"), "sns-2");
        assertEquals(1, reports.size());
        assertEquals(SuppressionReason.COMPLAINT, reports.get(0).reason());
        assertEquals(Optional.of("abuse"), reports.get(0).diagnostic());
    }

    @Test
    void transientAndUndeterminedBouncesDeliveriesAndOtherTextReportNothing() {
        assertEquals(
                List.of(),
                SesNotice.reports(SnsTestMessages.bounce("Transient", Map.of("a@example.com", "452 full")), "x"));
        assertEquals(
                List.of(),
                SesNotice.reports(SnsTestMessages.bounce("Undetermined", Map.of("a@example.com", "?")), "x"));
        assertEquals(List.of(), SesNotice.reports("{\"notificationType\":\"Delivery\"}", "x"));
        assertEquals(
                List.of(), SesNotice.reports("Successfully validated SNS topic for Amazon SES event publishing.", "x"));
        assertEquals(List.of(), SesNotice.reports("[1,2]", "x"));
    }

    @Test
    void theEventPublishingFormIsReadToo() {
        String event = SnsTestMessages.permanentBounce(Map.of("a@example.com", "550"))
                .replace("\"notificationType\"", "\"eventType\"");
        assertEquals(1, SesNotice.reports(event, "x").size());
    }

    @Test
    void aRecipientThatIsNoAddressIsSkipped() {
        assertEquals(
                1,
                SesNotice.reports(
                                SnsTestMessages.permanentBounce(
                                        Map.of("not an address", "550", "a@example.com", "550")),
                                "x")
                        .size());
    }
}
