package com.example.subscriptions.app;

import static com.example.subscriptions.http.RawHttp.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.http.HttpObserver;
import com.example.subscriptions.http.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operators' port on a real socket: exact paths, GET and HEAD only, liveness never behind readiness. */
class OpsServerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch kafkaAnswers = new CountDownLatch(1);
    private final AtomicInteger readinessProbes = new AtomicInteger();
    private OpsServer ops;

    private void start() {
        ops = new OpsServer(
                Optional.of("127.0.0.1"),
                0,
                () -> Health.of(Map.of("commands", true)),
                () -> {
                    readinessProbes.incrementAndGet();
                    try {
                        kafkaAnswers.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Health.of(Map.of("kafka", true));
                },
                accept -> new MetricsScrape(MetricsScrape.contentTypeFor(accept), "# metrics\n"),
                HttpObserver.NONE);
    }

    @AfterEach
    void stop() {
        kafkaAnswers.countDown();
        if (ops != null) {
            ops.close();
        }
    }

    private String get(String method, String path) throws Exception {
        try (RawHttp client = RawHttp.connect(ops.port())) {
            return client.send(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .readUntilClosed(WAIT);
        }
    }

    private static OpsServer server(Supplier<Health> live, Supplier<Health> ready, Supplier<String> metrics) {
        return new OpsServer(
                Optional.of("127.0.0.1"),
                0,
                live,
                ready,
                accept -> new MetricsScrape(MetricsScrape.PROMETHEUS_TEXT, metrics.get()),
                HttpObserver.NONE);
    }

    private HttpResponse<String> get(OpsServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesGet200WhenUpAnd503WhenDownAsTheyAreAsked() throws Exception {
        AtomicBoolean temporal = new AtomicBoolean(false);
        try (OpsServer server = server(
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
        try (OpsServer server = server(
                () -> Health.of(Map.of()), () -> Health.of(Map.of()), () -> "subscriptions_commands_total 1.0\n")) {
            HttpResponse<String> metrics = get(server, "/metrics");

            assertEquals(200, metrics.statusCode());
            assertTrue(
                    metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            assertEquals("subscriptions_commands_total 1.0\n", metrics.body());
        }
    }

    @Test
    void aScraperThatAcceptsOpenMetricsGetsOpenMetricsFromTheRealRegistry() throws Exception {
        try (ServiceMetrics registry = new ServiceMetrics();
                OpsServer server = new OpsServer(
                        Optional.of("127.0.0.1"),
                        0,
                        () -> Health.of(Map.of()),
                        () -> Health.of(Map.of()),
                        registry::scrape,
                        HttpObserver.NONE)) {
            HttpResponse<String> openMetrics = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                            .header(
                                    "Accept",
                                    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(
                    MetricsScrape.OPEN_METRICS,
                    openMetrics.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(openMetrics.body().endsWith("# EOF\n"), openMetrics.body());

            HttpResponse<String> text = get(server, "/metrics");
            assertEquals(
                    MetricsScrape.PROMETHEUS_TEXT,
                    text.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(text.body().contains("# TYPE jvm_threads_live_threads gauge"), text.body());
            assertTrue(!text.body().contains("# EOF"));
        }
    }

    @Test
    void onlyTheExactPathsAnswerAndOnlyToGetAndHead() throws Exception {
        start();
        kafkaAnswers.countDown();

        assertEquals(200, status(get("GET", "/health/live")));
        assertEquals(200, status(get("HEAD", "/health/ready")));
        assertTrue(get("GET", "/metrics").endsWith("# metrics\n"));
        for (String path : List.of("/health/readyXYZ", "/health/live/", "/health", "/", "/metrics/x")) {
            assertEquals(404, status(get("GET", path)), path);
        }
        String delete = get("DELETE", "/health/live");
        assertEquals(405, status(delete), delete);
        assertTrue(delete.contains("\r\nAllow: GET, HEAD\r\n"), delete);
        assertEquals(405, status(get("POST", "/metrics")));
    }

    @Test
    void livenessIsAnsweredAtOnceWhileReadinessProbesHangAndTheyShareOneProbe() throws Exception {
        start();
        // The first answer loads the JSON mapper's classes, as the service does long before any probe.
        assertEquals(200, status(get("GET", "/health/live")));
        List<RawHttp> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                waiting.add(RawHttp.connect(ops.port()).send("GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n"));
            }
            Awaitility.await().atMost(WAIT).until(() -> readinessProbes.get() == 1);

            long start = System.nanoTime();
            String live = get("GET", "/health/live");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(200, status(live), live);
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "liveness took " + took);
            kafkaAnswers.countDown();
            for (RawHttp client : waiting) {
                assertEquals(200, status(client.readResponse(WAIT)));
            }
            assertEquals(1, readinessProbes.get(), "twenty requests, one probe");
        } finally {
            for (RawHttp client : waiting) {
                client.close();
            }
        }
    }

    @Test
    void aTrustedProxyThatIsNotAnAddressStopsTheStartNamingTheSetting() {
        Settings settings =
                Settings.of(Map.of("roles", "unsubscribe", "unsubscribe.trusted-proxies", "10.0.0.0/8,proxy.internal"));

        ConfigException e = assertThrows(ConfigException.class, () -> Service.start(settings));

        assertTrue(e.getMessage().contains("'unsubscribe.trusted-proxies'"), e.getMessage());
        assertTrue(e.getMessage().contains("proxy.internal"), e.getMessage());
    }
}
