package com.example.subscriptions.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** {@code /health/live}, {@code /health/ready} and {@code /metrics} over plain HTTP, for probes and Prometheus. */
final class OpsServer implements AutoCloseable {

    private final HttpServer server;

    OpsServer(int port, Supplier<Health> live, Supplier<Health> ready, Supplier<String> metrics) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on HTTP port " + port + " (setting server.port)", e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "ops-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext(OpsRoutes.LIVE, exchange -> health(exchange, live.get()));
        server.createContext(OpsRoutes.READY, exchange -> health(exchange, ready.get()));
        server.createContext(
                OpsRoutes.METRICS,
                exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange exchange, Health health) throws IOException {
        respond(exchange, health.up() ? 200 : 503, "application/json", health.toJson());
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
