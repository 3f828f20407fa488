package com.example.subscriptions.http;

import static com.example.subscriptions.http.RawHttp.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hardened listener on a real port, tried with raw bytes as an attacker or a broken client would send them. */
class HttpListenerTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Map<String, AtomicInteger> events = new ConcurrentHashMap<>();
    private final HttpObserver observer = new HttpObserver() {
        @Override
        public void answered(String route, int status, String outcome) {
            count(route + " " + status + " " + outcome);
        }

        @Override
        public void connectionRejected() {
            count("rejected");
        }

        @Override
        public void timedOut(Timeout timeout) {
            count("timeout " + timeout.name().toLowerCase(Locale.ROOT));
        }
    };
    private HttpListener listener;

    private void count(String event) {
        events.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
    }

    private int events(String event) {
        return events.getOrDefault(event, new AtomicInteger()).get();
    }

    /** /echo answers with the body's length and who the client was; at most 100 body bytes, 3 requests a minute. */
    private void start(int maxConnections, ClientAddresses addresses, RateLimit rateLimit) {
        listener = HttpListener.bind(
                        new ListenerLimits(
                                "test",
                                Optional.of("127.0.0.1"),
                                0,
                                HEADER_TIMEOUT,
                                BODY_TIMEOUT,
                                Duration.ofSeconds(30),
                                maxConnections,
                                8,
                                ListenerLimits.DEFAULT_MAX_HEADER_BYTES),
                        addresses,
                        observer)
                .serve(List.of(new Route(
                        "echo",
                        "/echo",
                        Set.of("GET", "HEAD", "POST"),
                        100,
                        rateLimit,
                        request -> CompletableFuture.completedFuture(Reply.text(
                                200,
                                "echoed",
                                "text/plain",
                                request.body().length + " bytes from "
                                        + request.client().getHostAddress())))));
    }

    private void start() {
        start(64, ClientAddresses.direct(), RateLimit.NONE);
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    private String exchange(String request) throws Exception {
        try (RawHttp client = RawHttp.connect(listener.port())) {
            return client.send(request).readUntilClosed(WAIT);
        }
    }

    @Test
    void aWellFormedRequestIsAnsweredWithTheSecurityHeadersAndNoServerName() throws Exception {
        start();

        String response = exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 26\r\nConnection: close\r\n\r\n"
                + "List-Unsubscribe=One-Click");

        assertEquals(200, status(response), response);
        assertTrue(response.endsWith("26 bytes from 127.0.0.1"), response);
        assertSecurityHeaders(response);
        assertEquals(1, events("echo 200 echoed"));
    }

    @Test
    void smugglingShapesAndBareLineFeedsAreRefusedWith400AndTheConnectionEnds() throws Exception {
        start();
        Map<String, String> shapes = Map.of(
                "CL+TE",
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "two Content-Lengths",
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                "two equal Content-Lengths",
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
                "+26",
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +26\r\n\r\nList-Unsubscribe=One-Click",
                "Chunked",
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "bare LF request line",
                "GET /echo HTTP/1.1\nHost: x\r\n\r\n",
                "bare LF headers",
                "GET /echo HTTP/1.1\r\nHost: x\n\n",
                "space before colon",
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nhello",
                "no Host",
                "GET /echo HTTP/1.1\r\n\r\n");

        for (var shape : shapes.entrySet()) {
            String response = exchange(shape.getValue());
            assertEquals(400, status(response), shape.getKey() + ": " + response);
            assertSecurityHeaders(response);
            assertFalse(response.contains("Exception") || response.contains("jetty"), response);
        }
        assertEquals(0, events("echo 200 echoed"));
    }

    @Test
    void errorPagesSayNothingAboutTheServer() throws Exception {
        start();

        String badUri = exchange("GET /echo%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        String hugeHeader = exchange("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");

        assertEquals(400, status(badUri), badUri);
        assertTrue(badUri.endsWith("\r\n\r\n400 Bad Request\n"), badUri);
        assertEquals(431, status(hugeHeader), hugeHeader);
        for (String response : List.of(badUri, hugeHeader)) {
            assertSecurityHeaders(response);
            assertFalse(response.toLowerCase(Locale.ROOT).contains("jetty"), response);
            assertFalse(response.contains("Exception"), response);
        }
    }

    @Test
    void pathsMatchExactlyAndOtherMethodsGet405WithAllow() throws Exception {
        start();

        for (String path : List.of("/echoXYZ", "/echo/", "/", "/echo/..", "/ECHO")) {
            String response = exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(404, status(response), path + ": " + response);
            assertSecurityHeaders(response);
        }
        String delete = exchange("DELETE /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(405, status(delete), delete);
        assertTrue(delete.contains("\r\nAllow: GET, HEAD, POST\r\n"), delete);
        String head = exchange("HEAD /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, status(head), head);
        assertTrue(head.endsWith("\r\n\r\n"), "HEAD has no body: " + head);
    }

    @Test
    void bodiesOverTheRoutesLimitAre413WhetherAnnouncedOrChunked() throws Exception {
        start();

        String announced = exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
        String chunked = exchange("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "c8\r\n"
                + "x".repeat(200) + "\r\n0\r\n\r\n");

        assertEquals(413, status(announced), announced);
        assertEquals(413, status(chunked), chunked);
    }

    @Test
    void aClientThatDribblesItsHeadIsCutOffAtTheHeaderTimeout() throws Exception {
        start();
        try (RawHttp slow = RawHttp.connect(listener.port())) {
            slow.send("G");
            long start = System.nanoTime();
            // A byte every 100 ms keeps an idle timeout from ever firing; the header deadline does not care.
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                try {
                    slow.send("E");
                } catch (java.io.IOException closed) {
                    return true;
                }
                return false;
            });
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(HEADER_TIMEOUT.plusSeconds(2)) < 0, "closed after " + took);
        }
        Awaitility.await().atMost(WAIT).until(() -> events("timeout header") == 1);
    }

    @Test
    void aConnectionLeftIdleAfterItsAnswerIsClosedAtTheHeaderTimeout() throws Exception {
        start();
        try (RawHttp client = RawHttp.connect(listener.port())) {
            String response =
                    client.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n").readResponse(WAIT);
            assertEquals(200, status(response), response);

            assertTrue(client.isClosedByServer(HEADER_TIMEOUT.plusSeconds(2)));
        }
    }

    @Test
    void aBodyAnnouncedAndNeverSentGets408AtTheBodyTimeout() throws Exception {
        start();

        long start = System.nanoTime();
        String response = exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nonly this");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(408, status(response), response);
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
        assertTrue(took.compareTo(BODY_TIMEOUT.plusSeconds(2)) < 0, "answered after " + took);
        assertEquals(1, events("timeout body"));
    }

    @Test
    void pastMaxConnectionsANewConnectionIsClosedAtOnceAndCounted() throws Exception {
        start(3, ClientAddresses.direct(), RateLimit.NONE);
        List<RawHttp> held = List.of(
                RawHttp.connect(listener.port()), RawHttp.connect(listener.port()), RawHttp.connect(listener.port()));
        try {
            Awaitility.await().atMost(WAIT).until(() -> listener.openConnections() == 3);
            assertFalse(listener.accepting());
            try (RawHttp fourth = RawHttp.connect(listener.port())) {
                assertTrue(fourth.isClosedByServer(WAIT));
            }
            assertEquals(1, events("rejected"));
        } finally {
            for (RawHttp connection : held) {
                connection.close();
            }
        }
        // Every connection counted is uncounted when it closes, the rejected one too: the limit never creeps down.
        Awaitility.await().atMost(WAIT).until(() -> listener.openConnections() == 0);
        assertTrue(listener.accepting());
        assertEquals(200, status(exchange("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndOthersAreNotAffected() throws Exception {
        start(64, ClientAddresses.trusting(List.of("127.0.0.1")), RateLimit.perMinute(3));
        String request = "GET /echo HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: %s\r\nConnection: close\r\n\r\n";

        for (int i = 0; i < 3; i++) {
            assertEquals(200, status(exchange(request.formatted("198.51.100.7"))));
        }
        String limited = exchange(request.formatted("198.51.100.7"));
        String other = exchange(request.formatted("198.51.100.8"));

        assertEquals(429, status(limited), limited);
        assertTrue(limited.contains("\r\nRetry-After: 20\r\n"), limited);
        assertEquals(200, status(other), other);
        assertTrue(other.endsWith("from 198.51.100.8"), other);
    }

    @Test
    void withoutTrustedProxiesForwardedForChangesNothing() throws Exception {
        start(64, ClientAddresses.direct(), RateLimit.perMinute(1));
        String request = "GET /echo HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: %s\r\nConnection: close\r\n\r\n";

        String first = exchange(request.formatted("198.51.100.7"));
        String second = exchange(request.formatted("198.51.100.9"));

        assertTrue(first.endsWith("from 127.0.0.1"), first);
        assertEquals(429, status(second), second);
    }

    private static void assertSecurityHeaders(String response) {
        String head = response.substring(0, response.indexOf("\r\n\r\n") + 2);
        for (String header : List.of(
                "Cache-Control: no-store",
                "X-Content-Type-Options: nosniff",
                "Referrer-Policy: no-referrer",
                "X-Frame-Options: DENY",
                "Content-Security-Policy: " + SecurityHeaders.CONTENT_SECURITY_POLICY)) {
            assertTrue(head.contains("\r\n" + header + "\r\n"), header + " missing in " + head);
        }
        assertFalse(head.contains("\r\nServer:"), head);
        assertFalse(
                new String(response.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)
                        .contains("URISyntaxException"),
                response);
    }
}
