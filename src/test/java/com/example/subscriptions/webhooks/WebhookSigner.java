package com.example.subscriptions.webhooks;

import java.nio.charset.StandardCharsets;

/** What a provider does to sign a generic webhook request, for tests outside this package. */
public final class WebhookSigner {

    private WebhookSigner() {}

    public static String header(String secret, String timestamp, String body) {
        return WebhookSignatures.signatureHeader(secret, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }
}
