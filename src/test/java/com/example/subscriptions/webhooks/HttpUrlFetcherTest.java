package com.example.subscriptions.webhooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.core.Futures;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fetcher of certificates and confirmations against a local server: what it takes and what it refuses. */
class HttpUrlFetcherTest {

    private static final byte[] SMALL = "-----BEGIN CERTIFICATE-----".getBytes(StandardCharsets.US_ASCII);

    private final CountDownLatch released = new CountDownLatch(1);
    private final HttpUrlFetcher fetcher = new HttpUrlFetcher(Duration.ofSeconds(3), 1024);
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/small.pem", exchange -> {
            exchange.sendResponseHeaders(200, SMALL.length);
            exchange.getResponseBody().write(SMALL);
            exchange.close();
        });
        server.createContext("/huge.pem", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(new byte[64 * 1024]);
            exchange.close();
        });
        server.createContext("/missing.pem", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.createContext("/moved.pem", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere.pem");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/slow.pem", exchange -> {
            try {
                released.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private Throwable failure(String path) {
        return failure(fetcher, path);
    }

    private Throwable failure(HttpUrlFetcher fetcher, String path) {
        ExecutionException failed = assertThrows(
                ExecutionException.class, () -> fetcher.get(url(path)).get(10, TimeUnit.SECONDS));
        return Futures.cause(failed.getCause());
    }

    @Test
    void aSmallAnswerIsReturned() throws Exception {
        assertArrayEquals(SMALL, fetcher.get(url("/small.pem")).get(5, TimeUnit.SECONDS));
    }

    @Test
    void anAnswerOverTheCapIsRefused() {
        assertInstanceOf(UrlFetcher.Refused.class, failure("/huge.pem"));
    }

    @Test
    void anotherStatusIsRefusedAndARedirectIsNotFollowed() {
        assertInstanceOf(UrlFetcher.Refused.class, failure("/missing.pem"));
        assertInstanceOf(UrlFetcher.Refused.class, failure("/moved.pem"));
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsUnavailableNotRefused() {
        Throwable cause = failure(new HttpUrlFetcher(Duration.ofMillis(300), 1024), "/slow.pem");
        // The JDK client's own timeout (an IOException) or ours, whichever fires first; never a refusal.
        assertTrue(cause instanceof TimeoutException || cause instanceof IOException, cause.toString());
    }
}
