package com.example.subscriptions.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenericReportsTest {

    private static List<ProviderReport> parse(String body) throws GenericReports.Invalid {
        return GenericReports.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneReportBecomesOneCommandWithTheProvidersIdAndSourceWebhook() throws Exception {
        List<ProviderReport> reports = parse("{\"type\":\"bounce\",\"email\":\" Bob@Example.com \","
                + "\"diagnostic\":\"smtp; 550 5.1.1 user unknown\",\"id\":\"evt-42\"}");
        assertEquals(1, reports.size());
        ProviderReport report = reports.get(0);
        assertEquals(SuppressionReason.BOUNCE, report.reason());
        assertEquals("bob@example.com", report.email().value());
        assertEquals(ReportSource.WEBHOOK, report.source());
        assertEquals(Optional.of("smtp; 550 5.1.1 user unknown"), report.diagnostic());
        assertEquals(ProviderReport.commandId(ReportSource.WEBHOOK, "evt-42", report.email()), report.commandId());
    }

    @Test
    void aListBecomesACommandEachAndARetryPublishesTheSameIds() throws Exception {
        String body = "[{\"type\":\"complaint\",\"email\":\"a@example.com\"},"
                + "{\"type\":\"bounce\",\"email\":\"b@example.com\",\"diagnostic\":null}]";
        List<ProviderReport> reports = parse(body);
        assertEquals(2, reports.size());
        assertEquals(SuppressionReason.COMPLAINT, reports.get(0).reason());
        assertEquals(Optional.empty(), reports.get(1).diagnostic());
        assertEquals(
                reports.stream().map(ProviderReport::commandId).toList(),
                parse(body).stream().map(ProviderReport::commandId).toList());
    }

    @Test
    void aLongDiagnosticIsCutToWhatACommandAccepts() throws Exception {
        ProviderReport report = parse(
                        "{\"type\":\"bounce\",\"email\":\"b@example.com\",\"diagnostic\":\"" + "x".repeat(5000) + "\"}")
                .get(0);
        assertEquals(
                ProviderReport.MAX_DIAGNOSTIC, report.diagnostic().orElseThrow().length());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "",
                "not json",
                "\"bounce\"",
                "[]",
                "[1]",
                "{\"type\":\"bounce\"}",
                "{\"type\":\"unsubscribe\",\"email\":\"b@example.com\"}",
                "{\"type\":\"subscribe\",\"email\":\"b@example.com\"}",
                "{\"type\":[\"bounce\"],\"email\":\"b@example.com\"}",
                "{\"type\":\"bounce\",\"email\":\"not an address\"}",
                "{\"type\":\"bounce\",\"email\":\"b@example.com\",\"diagnostic\":5}",
                "{\"type\":\"bounce\",\"email\":\"b@example.com\",\"id\":\"a b\"}",
                "{\"type\":\"bounce\",\"email\":\"b@example.com\"} {\"type\":\"bounce\",\"email\":\"c@example.com\"}",
                "[{\"type\":\"bounce\",\"email\":\"b@example.com\"},{\"type\":\"bounce\",\"email\":\"@\"}]"
            })
    void aBodyWithAnythingWrongPublishesNothing(String body) {
        assertThrows(GenericReports.Invalid.class, () -> parse(body));
    }

    @Test
    void moreThanAHundredReportsAreRefused() {
        String one = "{\"type\":\"bounce\",\"email\":\"b@example.com\"}";
        assertThrows(
                GenericReports.Invalid.class,
                () -> parse("[" + String.join(",", java.util.Collections.nCopies(101, one)) + "]"));
    }
}
