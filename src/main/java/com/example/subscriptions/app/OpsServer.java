package com.example.subscriptions.app;

import com.example.subscriptions.http.ClientAddresses;
import com.example.subscriptions.http.HttpListener;
import com.example.subscriptions.http.HttpObserver;
import com.example.subscriptions.http.ListenerLimits;
import com.example.subscriptions.http.RateLimit;
import com.example.subscriptions.http.Reply;
import com.example.subscriptions.http.Route;
import com.example.subscriptions.http.RouteRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}, exactly those paths, {@code GET} and {@code HEAD}
 * only, for probes and Prometheus, on a listener of its own: the public listener's connections and threads are not
 * these, so liveness is answered (from memory, at once) while the public port is under attack. Readiness asks Kafka
 * and Temporal, which can take seconds: it runs on a thread of its own, and requests that arrive meanwhile share the
 * answer of the probe under way, so probes never pile up nor hold the listener's threads.
 */
final class OpsServer implements AutoCloseable {

    private static final String HEALTH_TYPE = "application/json";

    private final HttpListener listener;
    private final ExecutorService readinessProbes = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ops-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<CompletableFuture<Health>> probeUnderWay = new AtomicReference<>();

    OpsServer(
            Optional<String> bindAddress,
            int port,
            Supplier<Health> live,
            Supplier<Health> ready,
            Function<Optional<String>, MetricsScrape> metrics,
            HttpObserver observer) {
        listener = HttpListener.bind(ListenerLimits.ops(bindAddress, port), ClientAddresses.direct(), observer)
                .serve(List.of(
                        route("live", OpsRoutes.LIVE, request -> CompletableFuture.completedFuture(health(live.get()))),
                        route(
                                "ready",
                                OpsRoutes.READY,
                                request -> sharedProbe(ready).thenApply(OpsServer::health)),
                        route("metrics", OpsRoutes.METRICS, request -> {
                            MetricsScrape scrape = metrics.apply(request.header("Accept"));
                            return CompletableFuture.completedFuture(
                                    Reply.text(200, "scraped", scrape.contentType(), scrape.text()));
                        })));
    }

    int port() {
        return listener.port();
    }

    HttpListener listener() {
        return listener;
    }

    private static Route route(String name, String path, Function<RouteRequest, CompletableFuture<Reply>> answer) {
        return new Route(name, path, Set.of("GET", "HEAD"), 0, RateLimit.NONE, answer::apply);
    }

    private CompletableFuture<Health> sharedProbe(Supplier<Health> ready) {
        CompletableFuture<Health> mine = new CompletableFuture<>();
        CompletableFuture<Health> running = probeUnderWay.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        try {
            readinessProbes.execute(() -> {
                try {
                    mine.complete(ready.get());
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e);
                } finally {
                    probeUnderWay.set(null);
                }
            });
        } catch (RuntimeException e) {
            probeUnderWay.set(null);
            mine.completeExceptionally(e);
        }
        return mine;
    }

    private static Reply health(Health health) {
        return Reply.text(health.up() ? 200 : 503, health.up() ? "up" : "down", HEALTH_TYPE, health.toJson());
    }

    @Override
    public void close() {
        listener.close();
        readinessProbes.shutdownNow();
    }
}
