package com.example.subscriptions.suppression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuppressionTest {

    @Test
    void anEntryIsItsReasonSourceTimeAndCommandAndNoAddress() {
        String json = new String(
                Suppression.of(
                                SuppressionReason.BOUNCE,
                                ReportSource.SMTP,
                                Instant.parse("2026-11-24T23:07:02.1Z"),
                                "x")
                        .toBytes(),
                StandardCharsets.UTF_8);

        assertEquals(
                "{\"reason\":\"bounce\",\"source\":\"smtp\",\"at\":\"2026-11-24T23:07:02.100Z\",\"commandId\":\"x\"}",
                json);
    }

    @Test
    void theReasonIsReadBackAndAnythingElseHasNone() {
        assertEquals(
                Optional.of(SuppressionReason.COMPLAINT),
                Suppression.reasonOf("{\"reason\":\"complaint\",\"future\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), Suppression.reasonOf("{\"reason\":\"spam\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), Suppression.reasonOf("not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), Suppression.reasonOf("[1]".getBytes(StandardCharsets.UTF_8)));
    }
}
