package com.example.subscriptions.app;

import com.example.subscriptions.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The answer of a health check: UP only when every named check is. */
record Health(Map<String, Boolean> checks) {

    static Health of(Map<String, Boolean> checks) {
        return new Health(new LinkedHashMap<>(checks));
    }

    boolean up() {
        return checks.values().stream().allMatch(Boolean::booleanValue);
    }

    String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up() ? "UP" : "DOWN");
        Map<String, String> named = new LinkedHashMap<>();
        checks.forEach((name, ok) -> named.put(name, ok ? "UP" : "DOWN"));
        body.put("checks", named);
        return new String(Json.toBytes(body), StandardCharsets.UTF_8);
    }
}
