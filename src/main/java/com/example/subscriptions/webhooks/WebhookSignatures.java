package com.example.subscriptions.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The generic webhook's signature: {@value #TIMESTAMP_HEADER} is the Unix time in seconds when the provider sent
 * the request, and {@value #SIGNATURE_HEADER} is {@code v1=} and the hex HMAC-SHA256 of {@code timestamp.body} under a
 * shared secret (several comma-separated signatures are accepted, for a provider that signs with two keys while one
 * is rotated). The timestamp is signed, so an old request cannot be sent again with a new time, and must be within
 * the tolerance of this host's clock, so an old request cannot be sent again as it was for long.
 */
final class WebhookSignatures {

    static final String TIMESTAMP_HEADER = "X-Webhook-Timestamp";
    static final String SIGNATURE_HEADER = "X-Webhook-Signature";
    static final String SCHEME = "v1=";
    /** Signatures read from one header at most. */
    static final int MAX_SIGNATURES = 4;

    /** Why a request is refused; empty when it is signed. */
    enum Problem {
        UNSIGNED,
        STALE,
        BAD_SIGNATURE;

        String outcome() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final List<byte[]> secrets;
    private final Duration tolerance;
    private final Clock clock;

    WebhookSignatures(List<String> secrets, Duration tolerance, Clock clock) {
        this.secrets = secrets.stream()
                .map(secret -> secret.getBytes(StandardCharsets.UTF_8))
                .toList();
        this.tolerance = tolerance;
        this.clock = clock;
    }

    Optional<Problem> check(Optional<String> timestampHeader, Optional<String> signatureHeader, byte[] body) {
        if (timestampHeader.isEmpty() || signatureHeader.isEmpty()) {
            return Optional.of(Problem.UNSIGNED);
        }
        String timestamp = timestampHeader.get().strip();
        long seconds;
        try {
            if (timestamp.isEmpty()
                    || timestamp.length() > 12
                    || !timestamp.chars().allMatch(Character::isDigit)) {
                return Optional.of(Problem.UNSIGNED);
            }
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return Optional.of(Problem.UNSIGNED);
        }
        Duration age = Duration.between(Instant.ofEpochSecond(seconds), clock.instant())
                .abs();
        if (age.compareTo(tolerance) > 0) {
            return Optional.of(Problem.STALE);
        }
        List<byte[]> offered = offered(signatureHeader.get());
        if (offered.isEmpty()) {
            return Optional.of(Problem.UNSIGNED);
        }
        boolean matched = false;
        for (byte[] secret : secrets) {
            byte[] expected = sign(secret, timestamp, body);
            for (byte[] signature : offered) {
                // Constant time, and no early exit: how long a check takes says nothing of which key nearly matched.
                matched |= MessageDigest.isEqual(expected, signature);
            }
        }
        return matched ? Optional.empty() : Optional.of(Problem.BAD_SIGNATURE);
    }

    /** The header a provider sends with {@code body} at {@code timestamp} (tests, and the README's example). */
    static String signatureHeader(String secret, String timestamp, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(sign(secret.getBytes(StandardCharsets.UTF_8), timestamp, body));
    }

    private static List<byte[]> offered(String header) {
        return Arrays.stream(header.split(",", MAX_SIGNATURES + 1))
                .limit(MAX_SIGNATURES)
                .map(String::strip)
                .filter(part -> part.startsWith(SCHEME))
                .map(part -> part.substring(SCHEME.length()))
                .flatMap(hex -> {
                    try {
                        return Stream.of(HexFormat.of().parseHex(hex));
                    } catch (IllegalArgumentException e) {
                        return Stream.empty();
                    }
                })
                .toList();
    }

    private static byte[] sign(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
