package com.example.subscriptions.config;

import java.util.Optional;

/**
 * The codec server for Temporal's Web UI and CLI (privacy mode): off unless {@code codec-server.port} is set.
 *
 * @param port the listener's port (0 for any free port); empty: no codec server
 * @param bindAddress the local address to listen on; empty for every interface
 * @param token the bearer token every call must carry (at least 32 characters)
 * @param corsOrigin the Web UI's origin, e.g. {@code https://temporal.example.com}; empty: no CORS headers
 */
public record CodecServerSettings(
        Optional<Integer> port, Optional<String> bindAddress, String token, Optional<String> corsOrigin) {

    public static final int MIN_TOKEN_LENGTH = 32;

    static CodecServerSettings read(Values v, PrivacySettings privacy) {
        if (v.optional("codec-server.port").isEmpty()) {
            return new CodecServerSettings(Optional.empty(), Optional.empty(), "", Optional.empty());
        }
        int port = v.port("codec-server.port");
        if (!privacy.enabled()) {
            throw new ConfigException("Setting 'codec-server.port' needs privacy.enabled=true: the codec server uses"
                    + " privacy mode's keys");
        }
        String token = v.optional("codec-server.token").orElse("");
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException("Setting 'codec-server.token' must be at least " + MIN_TOKEN_LENGTH
                    + " characters when codec-server.port is set (e.g. from `openssl rand -base64 32`)");
        }
        Optional<String> origin = v.optional("codec-server.cors-origin");
        origin.ifPresent(o -> {
            if (!o.matches("https?://[^/\\s]+")) {
                throw new ConfigException("Setting 'codec-server.cors-origin' must be an origin such as"
                        + " https://temporal.example.com (scheme, host, optional port; no path), was '" + o + "'");
            }
        });
        return new CodecServerSettings(Optional.of(port), v.optional("codec-server.bind-address"), token, origin);
    }

    /** The token never leaves this object in text. */
    @Override
    public String toString() {
        return "CodecServerSettings[port=" + port + ", bindAddress=" + bindAddress + ", token="
                + (token.isEmpty() ? "none" : "[hidden]") + ", corsOrigin=" + corsOrigin + "]";
    }
}
