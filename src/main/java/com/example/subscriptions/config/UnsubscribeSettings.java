package com.example.subscriptions.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The public one-click unsubscribe listener and the links in the emails that lead to it.
 *
 * @param baseUrl the listener's address as subscribers' mail clients reach it; empty means
 *     {@code http://localhost:PORT}, PORT being the port the listener got (good for development only)
 * @param port the listener's port, 0 for any free port
 * @param secret the HMAC key that signs the links; empty means a random key of this process
 * @param bindAddress the local address the listener binds; empty for every interface
 * @param trustedProxies addresses and networks whose {@code X-Forwarded-For} names the client
 * @param rateLimit requests per minute per client address
 * @param clickWindow how long one subscriber's clicks share one command
 * @param headerTimeout, bodyTimeout, idleTimeout, maxConnections the listener's limits (README)
 */
public record UnsubscribeSettings(
        Optional<URI> baseUrl,
        int port,
        Optional<String> secret,
        Optional<String> bindAddress,
        List<String> trustedProxies,
        int rateLimit,
        Duration clickWindow,
        Duration headerTimeout,
        Duration bodyTimeout,
        Duration idleTimeout,
        int maxConnections) {

    /** A shorter key is too easy to guess; 32 characters of a random string are 32 bytes or more. */
    public static final int MIN_SECRET_LENGTH = 32;

    @Override
    public String toString() {
        return "UnsubscribeSettings[baseUrl=" + baseUrl.map(URI::toString).orElse("") + ", port=" + port + ", secret="
                + secret.map(s -> "[hidden]").orElse("none") + ", bindAddress=" + bindAddress.orElse("")
                + ", trustedProxies=" + trustedProxies + ", rateLimit=" + rateLimit + ", clickWindow=" + clickWindow
                + ", headerTimeout=" + headerTimeout + ", bodyTimeout=" + bodyTimeout + ", idleTimeout=" + idleTimeout
                + ", maxConnections=" + maxConnections + "]";
    }
}
