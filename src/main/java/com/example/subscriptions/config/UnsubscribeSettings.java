package com.example.subscriptions.config;

import java.net.URI;
import java.net.URISyntaxException;
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
 * @param trustedProxies addresses and networks whose {@code X-Forwarded-For} names the client (parsed, and checked,
 *     where the listener starts)
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

    /** The secret is required, and checked, when {@code sender} puts links into real emails. */
    static UnsubscribeSettings read(Values v, MailSettings.Sender sender) {
        Optional<String> secret = v.optional("unsubscribe.secret");
        if (secret.isEmpty() && sender == MailSettings.Sender.SMTP) {
            throw new ConfigException("Setting 'unsubscribe.secret' must be set when mail.sender is smtp: it signs"
                    + " the unsubscribe links in the emails (at least " + MIN_SECRET_LENGTH
                    + " random characters, e.g. from `openssl rand -base64 32`)");
        }
        if (secret.isPresent() && secret.get().length() < MIN_SECRET_LENGTH) {
            throw new ConfigException("Setting 'unsubscribe.secret' must be at least " + MIN_SECRET_LENGTH
                    + " characters, was " + secret.get().length());
        }
        return new UnsubscribeSettings(
                v.optional("unsubscribe.base-url").map(UnsubscribeSettings::baseUrl),
                v.port("unsubscribe.port"),
                secret,
                v.optional("unsubscribe.bind-address"),
                v.list("unsubscribe.trusted-proxies"),
                v.positiveInt("unsubscribe.rate-limit"),
                v.positiveDuration("unsubscribe.click-window"),
                v.positiveDuration("unsubscribe.header-timeout"),
                v.positiveDuration("unsubscribe.body-timeout"),
                v.positiveDuration("unsubscribe.idle-timeout"),
                v.positiveInt("unsubscribe.max-connections"));
    }

    private static URI baseUrl(String url) {
        try {
            URI uri = new URI(url);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException("Setting 'unsubscribe.base-url' must be an http or https URL without query or"
                + " fragment, such as https://mail.example.com, was '" + url + "'");
    }

    @Override
    public String toString() {
        return "UnsubscribeSettings[baseUrl=" + baseUrl.map(URI::toString).orElse("") + ", port=" + port + ", secret="
                + secret.map(s -> "[hidden]").orElse("none") + ", bindAddress=" + bindAddress.orElse("")
                + ", trustedProxies=" + trustedProxies + ", rateLimit=" + rateLimit + ", clickWindow=" + clickWindow
                + ", headerTimeout=" + headerTimeout + ", bodyTimeout=" + bodyTimeout + ", idleTimeout=" + idleTimeout
                + ", maxConnections=" + maxConnections + "]";
    }
}
