package com.example.subscriptions.http;

import org.eclipse.jetty.http.HttpFields;

/**
 * The headers every answer of our listeners carries, error pages included: nothing is cached (a link's token is a
 * credential of sorts), nothing leaks through Referer, no content is sniffed into another type, no other site frames
 * a page, and a page may load nothing and post only to where it came from.
 */
public final class SecurityHeaders {

    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    public static void apply(HttpFields.Mutable headers) {
        headers.put("Cache-Control", "no-store");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }
}
