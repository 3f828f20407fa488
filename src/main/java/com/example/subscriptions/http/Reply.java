package com.example.subscriptions.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer: status, body, the headers a route adds to the listener's own, and the outcome it is counted under.
 *
 * @param outcome one word for the metrics, e.g. {@code published} or {@code repeated}
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers, String outcome) {

    public Reply {
        headers = Map.copyOf(headers);
    }

    public static Reply html(int status, String outcome, String html) {
        return new Reply(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of(), outcome);
    }

    public static Reply text(int status, String outcome, String contentType, String text) {
        return new Reply(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of(), outcome);
    }

    /** The listener's own short answers (404, 405, 429, ...): a status line's words, nothing about us. */
    static Reply plain(int status, String outcome, String words) {
        return text(status, outcome, "text/plain; charset=utf-8", status + " " + words + "\n");
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, more, outcome);
    }
}
