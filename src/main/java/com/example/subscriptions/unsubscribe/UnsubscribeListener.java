package com.example.subscriptions.unsubscribe;

import com.example.subscriptions.mail.UnsubscribeTokens;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The public HTTP listener of the unsubscribe role: only {@code /unsubscribe}, on a port of its own, so the ops
 * endpoints ({@code /health}, {@code /metrics}) need not be exposed to the internet for the links to work.
 */
public final class UnsubscribeListener implements AutoCloseable {

    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;

    private UnsubscribeListener(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on the port at once (0: any free one), so that links can name it; answers 404 until it serves. */
    public static UnsubscribeListener bind(int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on HTTP port " + port + " (setting unsubscribe.port)", e);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "unsubscribe-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new UnsubscribeListener(server, executor);
    }

    /** Starts answering {@code /unsubscribe}. */
    public UnsubscribeListener serve(
            UnsubscribeTokens tokens, UnsubscribeCommands commands, UnaryOperator<String> emailMask) {
        server.createContext("/", new UnsubscribeHandler(tokens, commands, emailMask));
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Stops at once (Java 17's server would otherwise wait out the whole delay even when idle), before the producer
     * closes. A click cut short gets no answer and the reader clicks again; a command already handed to the producer
     * is still published when it closes.
     */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
