package com.example.subscriptions.http;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request as a route sees it: already checked and whole.
 *
 * @param rawQuery the query string as sent (not decoded), or null
 * @param headers by lower-case name, each with its values in order
 * @param client who sent it: the peer, or the address a trusted proxy forwarded
 */
public record RouteRequest(
        String method, String rawQuery, Map<String, List<String>> headers, byte[] body, InetAddress client) {

    public Optional<String> header(String name) {
        List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
