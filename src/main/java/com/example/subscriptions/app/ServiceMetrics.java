package com.example.subscriptions.app;

import com.example.subscriptions.bounces.BounceMailbox;
import com.example.subscriptions.command.Outcome;
import com.example.subscriptions.command.SubscriptionEvent;
import com.example.subscriptions.http.HttpListener;
import com.example.subscriptions.http.HttpObserver;
import com.example.subscriptions.kafka.ConsumerLoop;
import com.example.subscriptions.status.DetailsReply;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.util.Duration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.Consumer;

/** The service's meters, and the Temporal SDK's, in one Prometheus registry. */
final class ServiceMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Scope temporalScope;

    ServiceMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        temporalScope = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(Duration.ofSeconds(10));
    }

    Scope temporalScope() {
        return temporalScope;
    }

    /** Counts the calls to Temporal and their bytes. */
    TemporalTraffic temporalTraffic() {
        return new TemporalTraffic(registry);
    }

    void command(SubscriptionEvent event) {
        Counter.builder("subscriptions.commands")
                .description("Commands handled, by type and outcome")
                .tag("type", event.type() == null ? "unknown" : event.type())
                .tag("outcome", event.outcome().name())
                .register(registry)
                .increment();
        if (event.source() != null) {
            Counter.builder("subscriptions.bounces.and.complaints")
                    .description("Bounces and complaints applied, by type, source and outcome")
                    .tag("type", event.type())
                    .tag("source", event.source())
                    .tag("outcome", event.outcome().name())
                    .register(registry)
                    .increment();
        }
        if (event.source() != null && event.outcome() == Outcome.SUPPRESSED) {
            Counter.builder("subscriptions.suppressions.added")
                    .description("Addresses put on the suppression list, by reason")
                    .tag("reason", event.type())
                    .register(registry)
                    .increment();
        }
        if (event.outcome() == Outcome.UNSUPPRESSED) {
            Counter.builder("subscriptions.suppressions.lifted")
                    .description("Suppressions lifted by an operator")
                    .register(registry)
                    .increment();
        }
    }

    /** An email the worker gave up: the server refused it for good on every attempt. */
    void emailGivenUp() {
        Counter.builder("subscriptions.emails.given.up")
                .description("Emails given up because the mail server refused them for good on every attempt")
                .register(registry)
                .increment();
    }

    /** An SMTP attempt the server throttled (421, 451, 454, 4.7.x): retried with growing backoff. */
    void smtpThrottled() {
        Counter.builder("subscriptions.smtp.throttled")
                .description("Email attempts the mail server throttled (over a rate or quota); each is retried")
                .register(registry)
                .increment();
    }

    /** Counts the bounce mailbox's messages by kind, and its polls that could not reach it. */
    BounceMailbox.Observer bounceMailbox() {
        return new BounceMailbox.Observer() {
            @Override
            public void read(String kind) {
                Counter.builder("subscriptions.bounce.mailbox.reports")
                        .description("Messages of the bounce mailbox read, by kind: dsn-bounce, arf-complaint,"
                                + " ignored, unparsed")
                        .tag("kind", kind)
                        .register(registry)
                        .increment();
            }

            @Override
            public void pollFailed() {
                Counter.builder("subscriptions.bounce.mailbox.poll.failures")
                        .description("Polls of the bounce mailbox that could not read it")
                        .register(registry)
                        .increment();
            }
        };
    }

    void bounceMailboxReachable(BooleanSupplier reachable) {
        Gauge.builder("subscriptions.bounce.mailbox.reachable", reachable, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 when the last poll read the bounce mailbox, 0 when it could not")
                // A gauge holds its object weakly, and nothing else holds this lambda.
                .strongReference(true)
                .register(registry);
    }

    /** The size of the suppression list this process holds. */
    void suppressions(IntSupplier size) {
        Gauge.builder("subscriptions.suppressions", size, s -> s.getAsInt())
                .description("Addresses on the suppression list")
                // A gauge holds its object weakly, and nothing else holds this method reference: without this, the
                // gauge reads NaN after the first garbage collection.
                .strongReference(true)
                .register(registry);
    }

    void detailsReply(DetailsReply reply, java.time.Duration latency) {
        Counter.builder("subscriptions.details.requests")
                .description("Details requests answered, by reply status")
                .tag("status", reply.status())
                .register(registry)
                .increment();
        Timer.builder("subscriptions.details.latency")
                .description("From picking up a details request to its reply being acknowledged")
                .publishPercentileHistogram()
                .register(registry)
                .record(latency);
    }

    void detailsExpired() {
        Counter.builder("subscriptions.details.expired")
                .description("Details requests dropped because their deadline had passed")
                .register(registry)
                .increment();
    }

    void consumer(String role, String deadLetterTopic, ConsumerLoop loop, Consumer<byte[], byte[]> consumer) {
        Gauge.builder("subscriptions.in.flight", loop, l -> l.health().unfinished())
                .description("Records polled and not yet finished")
                .tag("role", role)
                .register(registry);
        Gauge.builder(
                        "subscriptions.oldest.unfinished",
                        loop,
                        l -> l.health().oldestUnfinishedAge().toMillis() / 1e3)
                .description("How long the oldest unfinished record has waited since it was polled")
                .baseUnit("seconds")
                .tag("role", role)
                .register(registry);
        Gauge.builder("subscriptions.consumer.member", loop, l -> l.health().member() ? 1 : 0)
                .description("1 while the consumer is a member of its group, 0 while it is not")
                .tag("role", role)
                .register(registry);
        FunctionCounter.builder("subscriptions.retries", loop, ConsumerLoop::failedAttempts)
                .description("Attempts that failed for a condition of the environment and were scheduled again")
                .tag("role", role)
                .register(registry);
        FunctionCounter.builder("subscriptions.dead.letters", loop, ConsumerLoop::deadLettered)
                .description("Records copied to a dead letter topic")
                .tag("role", role)
                .tag("topic", deadLetterTopic)
                .register(registry);
        // Consumer lag and the client's other metrics, read through the consumer's thread-safe metrics().
        new KafkaClientMetrics(consumer).bindTo(registry);
    }

    /** Counts a listener's answers by route, status and outcome, its rejected connections and its timeouts. */
    HttpObserver http(String listener) {
        return new HttpObserver() {
            @Override
            public void answered(String route, int status, String outcome) {
                Counter.builder("subscriptions.http.requests")
                        .description("HTTP requests answered, by listener, route, status and outcome")
                        .tag("listener", listener)
                        .tag("route", route)
                        .tag("status", Integer.toString(status))
                        .tag("outcome", outcome)
                        .register(registry)
                        .increment();
            }

            @Override
            public void connectionRejected() {
                Counter.builder("subscriptions.http.rejected.connections")
                        .description("Connections closed on arrival because the listener had its most open")
                        .tag("listener", listener)
                        .register(registry)
                        .increment();
            }

            @Override
            public void timedOut(Timeout timeout) {
                Counter.builder("subscriptions.http.timeouts")
                        .description("Connections a client held without sending a whole request head, or body, in time")
                        .tag("listener", listener)
                        .tag("phase", timeout.name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry)
                        .increment();
            }
        };
    }

    void listener(HttpListener listener) {
        Gauge.builder("subscriptions.http.connections", listener, HttpListener::openConnections)
                .description("Open connections of the listener")
                .tag("listener", listener.name())
                .register(registry);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        try {
            temporalScope.close();
        } catch (com.uber.m3.tally.ScopeCloseException e) {
            // Closing only flushes the last report; nothing to do if it fails.
        }
        registry.close();
    }
}
