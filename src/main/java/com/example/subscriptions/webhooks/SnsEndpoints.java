package com.example.subscriptions.webhooks;

/**
 * Where the SES webhook may fetch from, and how: Amazon's SNS hosts over HTTPS in production; a test's CA and stub.
 */
public record SnsEndpoints(SnsHosts hosts, UrlFetcher fetcher) {

    public static SnsEndpoints amazon() {
        return new SnsEndpoints(SnsHosts.AMAZON, HttpUrlFetcher.withDefaults());
    }
}
