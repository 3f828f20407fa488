package com.example.subscriptions.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

    private static final String OLD_SECRET = "old-secret-0123456789abcdef0123456789";
    private static final String NEW_SECRET = "new-secret-0123456789abcdef0123456789";
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final byte[] BODY =
            "{\"type\":\"bounce\",\"email\":\"bob@example.com\"}".getBytes(StandardCharsets.UTF_8);

    private final WebhookSignatures signatures = new WebhookSignatures(
            List.of(NEW_SECRET, OLD_SECRET), Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

    private Optional<WebhookSignatures.Problem> check(String timestamp, String signature, byte[] body) {
        return signatures.check(Optional.ofNullable(timestamp), Optional.ofNullable(signature), body);
    }

    private static String seconds(Instant instant) {
        return Long.toString(instant.getEpochSecond());
    }

    @Test
    void aBodySignedWithEitherKeyOfARotationIsAccepted() {
        String now = seconds(NOW);
        assertEquals(Optional.empty(), check(now, WebhookSignatures.signatureHeader(NEW_SECRET, now, BODY), BODY));
        assertEquals(Optional.empty(), check(now, WebhookSignatures.signatureHeader(OLD_SECRET, now, BODY), BODY));
    }

    @Test
    void aHeaderWithTwoSignaturesIsAcceptedWhenOneMatches() {
        String now = seconds(NOW);
        String header = WebhookSignatures.signatureHeader("retired-secret-0123456789abcdef0123", now, BODY) + ", "
                + WebhookSignatures.signatureHeader(NEW_SECRET, now, BODY);
        assertEquals(Optional.empty(), check(now, header, BODY));
    }

    @Test
    void aBodySignedWithAnotherKeyIsForged() {
        String now = seconds(NOW);
        assertEquals(
                Optional.of(WebhookSignatures.Problem.BAD_SIGNATURE),
                check(now, WebhookSignatures.signatureHeader("someone-else-0123456789abcdef012345", now, BODY), BODY));
    }

    @Test
    void aChangedBodyIsForged() {
        String now = seconds(NOW);
        String header = WebhookSignatures.signatureHeader(NEW_SECRET, now, BODY);
        byte[] changed = "{\"type\":\"bounce\",\"email\":\"alice@example.com\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of(WebhookSignatures.Problem.BAD_SIGNATURE), check(now, header, changed));
    }

    @Test
    void aTimestampOutsideTheToleranceIsStaleEvenWhenSigned() {
        String old = seconds(NOW.minus(Duration.ofMinutes(6)));
        String future = seconds(NOW.plus(Duration.ofMinutes(6)));
        assertEquals(
                Optional.of(WebhookSignatures.Problem.STALE),
                check(old, WebhookSignatures.signatureHeader(NEW_SECRET, old, BODY), BODY));
        assertEquals(
                Optional.of(WebhookSignatures.Problem.STALE),
                check(future, WebhookSignatures.signatureHeader(NEW_SECRET, future, BODY), BODY));
        String recent = seconds(NOW.minus(Duration.ofMinutes(4)));
        assertEquals(
                Optional.empty(), check(recent, WebhookSignatures.signatureHeader(NEW_SECRET, recent, BODY), BODY));
    }

    @Test
    void anOldRequestReplayedWithANewTimestampButItsOldSignatureIsForged() {
        String then = seconds(NOW.minus(Duration.ofHours(2)));
        String oldSignature = WebhookSignatures.signatureHeader(NEW_SECRET, then, BODY);
        assertEquals(Optional.of(WebhookSignatures.Problem.BAD_SIGNATURE), check(seconds(NOW), oldSignature, BODY));
    }

    @Test
    void aRequestWithoutTimestampOrSignatureIsUnsigned() {
        String now = seconds(NOW);
        String header = WebhookSignatures.signatureHeader(NEW_SECRET, now, BODY);
        assertEquals(Optional.of(WebhookSignatures.Problem.UNSIGNED), check(null, header, BODY));
        assertEquals(Optional.of(WebhookSignatures.Problem.UNSIGNED), check(now, null, BODY));
        assertEquals(Optional.of(WebhookSignatures.Problem.UNSIGNED), check("12:00", header, BODY));
        assertEquals(Optional.of(WebhookSignatures.Problem.UNSIGNED), check("-5", header, BODY));
        assertEquals(
                Optional.of(WebhookSignatures.Problem.UNSIGNED),
                check(now, header.substring(WebhookSignatures.SCHEME.length()), BODY));
        assertEquals(Optional.of(WebhookSignatures.Problem.UNSIGNED), check(now, "v1=not-hex", BODY));
    }
}
