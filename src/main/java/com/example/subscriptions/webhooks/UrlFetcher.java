package com.example.subscriptions.webhooks;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** Fetches a URL the webhooks trust (a signing certificate, a subscription's confirmation). */
@FunctionalInterface
public interface UrlFetcher {

    /**
     * The body of a 200 answer. Fails with {@link Refused} when the server answered, but not with what was asked
     * (another status, a body too large), and with any other exception when it could not be reached in time.
     */
    CompletableFuture<byte[]> get(URI url);

    /** The server answered, and not with a body we can use: no retry will change that. */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
