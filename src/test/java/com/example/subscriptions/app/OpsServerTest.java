package com.example.subscriptions.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The ops endpoint over real HTTP on a free port: what probes and Prometheus get. */
class OpsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(OpsServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesGet200WhenUpAnd503WhenDownAsTheyAreAsked() throws Exception {
        AtomicBoolean temporal = new AtomicBoolean(false);
        try (OpsServer server = new OpsServer(
                0,
                () -> Health.of(Map.of("commands", true)),
                () -> Health.of(Map.of("temporal", temporal.get())),
                () -> "subscriptions_commands_total 1.0\n")) {
            HttpResponse<String> down = get(server, "/health/ready");
            assertEquals(503, down.statusCode());
            assertEquals(
                    "application/json",
                    down.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("{\"status\":\"DOWN\",\"checks\":{\"temporal\":\"DOWN\"}}", down.body());

            temporal.set(true);
            assertEquals(200, get(server, "/health/ready").statusCode());
            assertEquals(200, get(server, "/health/live").statusCode());
        }
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        try (OpsServer server = new OpsServer(
                0, () -> Health.of(Map.of()), () -> Health.of(Map.of()), () -> "subscriptions_commands_total 1.0\n")) {
            HttpResponse<String> metrics = get(server, "/metrics");

            assertEquals(200, metrics.statusCode());
            assertTrue(
                    metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            assertEquals("subscriptions_commands_total 1.0\n", metrics.body());
        }
    }
}
