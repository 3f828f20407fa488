package com.example.subscriptions.webhooks;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One bounce or complaint a provider reported, ready to be a command.
 *
 * @param commandId the same for every delivery of the same report, so a provider's retry publishes the same id
 * @param diagnostic what the provider said, cut to what a command accepts
 */
record ProviderReport(
        SuppressionReason reason,
        EmailAddress email,
        ReportSource source,
        Optional<String> diagnostic,
        String commandId) {

    /** A command's diagnostic at most, in code points (the command contract's limit). */
    static final int MAX_DIAGNOSTIC = 1000;

    ProviderReport {
        diagnostic = diagnostic.map(String::strip).filter(d -> !d.isEmpty()).map(ProviderReport::cut);
    }

    /**
     * An id from the provider's id of its message and the address: one message may report several recipients, and
     * the address itself stays out of the id (ids are logged).
     */
    static String commandId(ReportSource source, String providerId, EmailAddress email) {
        return source.wireName() + "-" + providerId + "-" + shortHash(email.value());
    }

    static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String cut(String text) {
        return text.codePointCount(0, text.length()) <= MAX_DIAGNOSTIC
                ? text
                : text.substring(0, text.offsetByCodePoints(0, MAX_DIAGNOSTIC));
    }
}
