package com.example.subscriptions.it;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.http.RawHttp;
import com.example.subscriptions.mail.UnsubscribeLinks;
import com.example.subscriptions.mail.UnsubscribeTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21's attacks on the public listener, against the service on the real broker and Temporal service: slow
 * clients and bodies that never come, a flood of clicks on one link, and the subscriber next door. The timeouts are
 * turned down to 2 s so the test is quick; the documented defaults are 10 s.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PublicListenerUnderAttackIT {

    private static final String SECRET = "attack-test-secret-0123456789abcdef";
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CLICK_ANSWERED_WITHIN = Duration.ofSeconds(2);
    private static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private static ServiceFixture fixture;
    private static Service service;
    private static KafkaProbe kafka;
    private static UnsubscribeLinks links;
    private static HttpClient http;
    private static ScheduledExecutorService dribbler;

    @BeforeAll
    static void start() {
        fixture = new ServiceFixture();
        service = fixture.start(
                Map.of(
                        "roles", "worker,commands,unsubscribe",
                        "unsubscribe.secret", SECRET,
                        "unsubscribe.header-timeout", "PT2S",
                        "unsubscribe.body-timeout", "PT2S",
                        "unsubscribe.idle-timeout", "PT5S",
                        // The flood comes from one address; the click window, not the rate limit, is tried here.
                        "unsubscribe.rate-limit", "100000"),
                (details, delivery) -> {});
        kafka = new KafkaProbe(fixture.topic("commands"), fixture.topic("events"));
        links = new UnsubscribeLinks(service.unsubscribeBaseUrl(), UnsubscribeTokens.withSecret(SECRET));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        dribbler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        dribbler.shutdownNow();
        kafka.close();
        fixture.close();
    }

    private static String newEmail() {
        return "attack-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static String subscribe(String email) {
        String commandId = UUID.randomUUID().toString();
        kafka.send(
                fixture.topic("commands"),
                email,
                "{\"type\":\"subscribe\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}");
        return commandId;
    }

    private static HttpResponse<String> click(String email) throws Exception {
        return http.send(
                HttpRequest.newBuilder(links.linkFor(email))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(ONE_CLICK))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> ops(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Duration timed(ThrowingRunnable action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Opens a connection that sends a request head one byte a second and never finishes it. */
    private static RawHttp dribbling(int port, String head) throws IOException {
        RawHttp connection = RawHttp.connect(port);
        AtomicInteger sent = new AtomicInteger();
        dribbler.scheduleAtFixedRate(
                () -> {
                    int i = sent.getAndIncrement();
                    if (i < head.length()) {
                        try {
                            connection.send(head.substring(i, i + 1));
                        } catch (IOException closed) {
                            throw new IllegalStateException("closed", closed);
                        }
                    }
                },
                0,
                1,
                TimeUnit.SECONDS);
        return connection;
    }

    @ParameterizedTest(name = "{0} slow heads and {0} bodies that never come")
    @ValueSource(ints = {4, 32})
    void slowClientsNeitherStopClicksNorLivenessAndAreCutOffAtTheTimeouts(int slow) throws Exception {
        int port = service.unsubscribePort();
        String email = newEmail();
        kafka.await(jsonField(fixture.topic("events"), "commandId", subscribe(email)));
        String path =
                links.linkFor(email).getRawPath() + "?" + links.linkFor(email).getRawQuery();
        List<RawHttp> heads = new ArrayList<>();
        List<RawHttp> bodies = new ArrayList<>();
        List<RawHttp> opsHeads = new ArrayList<>();
        try {
            for (int i = 0; i < slow; i++) {
                heads.add(dribbling(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + "X-Slow: y\r\n".repeat(50)));
                bodies.add(RawHttp.connect(port)
                        .send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                                + "\r\nContent-Length: 26\r\n\r\n"));
            }
            for (int i = 0; i < 2; i++) {
                opsHeads.add(
                        dribbling(service.httpPort(), "GET /health/live HTTP/1.1\r\n" + "X-Slow: y\r\n".repeat(50)));
            }
            long attackStarted = System.nanoTime();

            AtomicReference<HttpResponse<String>> page = new AtomicReference<>();
            Duration pageTook = timed(() -> page.set(http.send(
                    HttpRequest.newBuilder(links.linkFor(email))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString())));
            AtomicReference<HttpResponse<String>> post = new AtomicReference<>();
            Duration clickTook = timed(() -> post.set(click(email)));
            AtomicReference<HttpResponse<String>> live = new AtomicReference<>();
            Duration liveTook = timed(() -> live.set(ops("/health/live")));

            assertEquals(200, page.get().statusCode());
            assertEquals(200, post.get().statusCode(), post.get().body());
            assertEquals(200, live.get().statusCode());
            assertTrue(pageTook.compareTo(CLICK_ANSWERED_WITHIN) < 0, "the page took " + pageTook);
            assertTrue(clickTook.compareTo(CLICK_ANSWERED_WITHIN) < 0, "the click took " + clickTook);
            assertTrue(liveTook.compareTo(Duration.ofSeconds(1)) < 0, "liveness took " + liveTook);
            assertTrue(
                    Duration.ofNanos(System.nanoTime() - attackStarted).compareTo(HEADER_TIMEOUT) < 0,
                    "the answers must have come while the slow connections were still open");

            // Cut off within the timeout (the margin: the scheduler's and a loaded machine's lateness).
            Duration margin = Duration.ofSeconds(3);
            for (RawHttp body : bodies) {
                String answer = body.readUntilClosed(BODY_TIMEOUT.plus(margin));
                assertEquals(408, RawHttp.status(answer), answer);
            }
            for (RawHttp head : heads) {
                assertTrue(head.isClosedByServer(HEADER_TIMEOUT.plus(margin)), "a slow head was still open");
            }
            for (RawHttp head : opsHeads) {
                assertTrue(head.isClosedByServer(
                        HEADER_TIMEOUT.plus(Duration.ofSeconds(10)).plus(margin)));
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - attackStarted)
                            .compareTo(
                                    Duration.ofSeconds(10).plus(HEADER_TIMEOUT).plus(margin))
                    < 0);
        } finally {
            for (RawHttp connection : concat(heads, bodies, opsHeads)) {
                connection.close();
            }
        }
        String metrics = ops("/metrics").body();
        assertTrue(
                metrics.contains("subscriptions_http_timeouts_total{listener=\"unsubscribe\",phase=\"body\"}"),
                metrics);
        assertTrue(
                metrics.contains("subscriptions_http_timeouts_total{listener=\"unsubscribe\",phase=\"header\"}"),
                metrics);
    }

    @Test
    void aFloodOfOneLinkPublishesOneCommandAndTheSubscriberNextDoorIsNotDelayed() throws Exception {
        String victim = newEmail();
        String bystander = samePartitionAs(victim);
        kafka.await(jsonField(fixture.topic("events"), "commandId", subscribe(victim)));
        ExecutorService clickers = Executors.newFixedThreadPool(20);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> flood = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        try {
            for (int i = 0; i < 500; i++) {
                flood.add(CompletableFuture.runAsync(
                        () -> {
                            try {
                                statuses.computeIfAbsent(click(victim).statusCode(), s -> new AtomicInteger())
                                        .incrementAndGet();
                                answered.incrementAndGet();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        clickers));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= 100);

            long sent = System.nanoTime();
            String commandId = subscribe(bystander);
            kafka.await(jsonField(fixture.topic("events"), "commandId", commandId));
            Duration bystanderTook = Duration.ofNanos(System.nanoTime() - sent);

            CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            System.out.println("The bystander's subscribe during the flood: " + bystanderTook.toMillis() + " ms");
            assertTrue(
                    bystanderTook.compareTo(Duration.ofSeconds(2)) < 0,
                    "the bystander's subscribe took " + bystanderTook + " during the flood");
        } finally {
            clickers.shutdownNow();
        }

        assertEquals(
                Map.of(200, 500),
                Map.copyOf(statuses.entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().get()))));
        kafka.await(record -> record.topic().equals(fixture.topic("events"))
                && victim.equals(json(record).path("email").asText())
                && json(record).path("outcome").asText().equals("UNSUBSCRIBE_REQUESTED"));
        List<String> published = kafka
                .all(record -> record.topic().equals(fixture.topic("commands"))
                        && victim.equals(new String(record.key(), StandardCharsets.UTF_8))
                        && json(record).path("commandId").asText().startsWith("unsubscribe-link-"))
                .stream()
                .map(record -> json(record).path("commandId").asText())
                .toList();
        assertEquals(1, published.size(), "commands published by the flood: " + published);
        String metrics = ops("/metrics").body();
        assertTrue(
                metrics.contains("subscriptions_http_requests_total{listener=\"unsubscribe\",outcome=\"repeated\","
                        + "route=\"unsubscribe\",status=\"200\"} 499.0"),
                metrics);
    }

    @Test
    void smugglingShapesOnARealLinkAreRefusedAndPublishNothing() throws Exception {
        String email = newEmail();
        URI link = links.linkFor(email);
        String target = link.getRawPath() + "?" + link.getRawQuery();
        String form = "\r\nContent-Type: application/x-www-form-urlencoded";
        List<String> shapes = List.of(
                "POST " + target + " HTTP/1.1\r\nHost: x" + form + "\r\nContent-Length: 26\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n1a\r\n" + ONE_CLICK + "\r\n0\r\n\r\n",
                "POST " + target + " HTTP/1.1\r\nHost: x" + form + "\r\nContent-Length: 26\r\nContent-Length: 0"
                        + "\r\n\r\n" + ONE_CLICK,
                "POST " + target + " HTTP/1.1\r\nHost: x" + form + "\r\nContent-Length: +26\r\n\r\n" + ONE_CLICK,
                "POST " + target + " HTTP/1.1\nHost: x" + form + "\r\nContent-Length: 26\r\n\r\n" + ONE_CLICK);

        for (String shape : shapes) {
            try (RawHttp client = RawHttp.connect(service.unsubscribePort())) {
                String answer = client.send(shape).readUntilClosed(Duration.ofSeconds(10));
                assertEquals(400, RawHttp.status(answer), shape + " -> " + answer);
            }
        }

        assertEquals(200, click(email).statusCode(), "the well-formed click after them");
        List<?> published = kafka.awaitCount(
                1,
                record -> record.topic().equals(fixture.topic("commands"))
                        && email.equals(new String(record.key(), StandardCharsets.UTF_8)));
        assertEquals(1, published.size(), "only the well-formed click published");
    }

    /** An address whose commands share the victim's partition, as Kafka's default partitioner places them. */
    private static String samePartitionAs(String victim) {
        int partitions = 3;
        int target = partition(victim, partitions);
        while (true) {
            String candidate = newEmail();
            if (partition(candidate, partitions) == target) {
                return candidate;
            }
        }
    }

    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @SafeVarargs
    private static List<RawHttp> concat(List<RawHttp>... lists) {
        List<RawHttp> all = new ArrayList<>();
        for (List<RawHttp> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
