package com.example.subscriptions.status;

import com.example.subscriptions.core.Futures;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.kafka.Disposition;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.kafka.TopicCatalog;
import com.example.subscriptions.kafka.Work;
import com.example.subscriptions.workflow.EmailDetails;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Answers each details request with one reply, published before the request counts as done. Requests are
 * independent: each has its own ordering key, so they are all looked up concurrently.
 */
public final class DetailsHandler implements RecordHandler {

    /** Told of what the responder did, for logs and metrics; {@link #replied} on the poll thread. */
    public interface Observer {
        void replied(DetailsReply reply, Duration latency);

        void expired(ConsumerRecord<byte[], byte[]> request);
    }

    private final DetailsRequestParser parser;
    private final SubscriptionLookup lookup;
    private final KafkaPublisher publisher;
    private final Clock clock;
    private final Observer observer;
    private final ReplyRoutes routes;

    public DetailsHandler(
            DetailsRequestParser parser,
            SubscriptionLookup lookup,
            KafkaPublisher publisher,
            TopicCatalog topics,
            Clock clock,
            Observer observer) {
        this.parser = parser;
        this.lookup = lookup;
        this.publisher = publisher;
        this.routes = new ReplyRoutes(topics);
        this.clock = clock;
        this.observer = observer;
    }

    @Override
    public Work plan(ConsumerRecord<byte[], byte[]> record) {
        return new DetailsWork(record, parser.parse(record));
    }

    private final class DetailsWork implements Work {

        private final ConsumerRecord<byte[], byte[]> record;
        private final ParsedRequest request;
        private volatile DetailsReply reply;
        private volatile long startNanos;
        /** Set once the reply is published. */
        private volatile Duration latency;

        DetailsWork(ConsumerRecord<byte[], byte[]> record, ParsedRequest request) {
            this.record = record;
            this.request = request;
        }

        @Override
        public Object orderingKey() {
            return Work.ownKey(record);
        }

        @Override
        public CompletionStage<Disposition> attempt() {
            if (reply == null && expired()) {
                observer.expired(record);
                return CompletableFuture.completedFuture(Disposition.DONE);
            }
            if (request instanceof ParsedRequest.Invalid invalid && !invalid.answerable()) {
                return CompletableFuture.completedFuture(Disposition.deadLetter(invalid.reason()));
            }
            if (startNanos == 0) {
                startNanos = System.nanoTime();
            }
            // The route first: a reply that cannot be delivered is not worth a query.
            return routes.whyUndeliverable(request.route()).thenCompose(why -> {
                if (why.isPresent()) {
                    return CompletableFuture.completedFuture(undeliverable(why.get()));
                }
                CompletionStage<DetailsReply> answer =
                        reply != null ? CompletableFuture.completedFuture(reply) : answer().thenApply(r -> reply = r);
                return answer.thenCompose(this::publish);
            });
        }

        private CompletionStage<Disposition> publish(DetailsReply r) {
            return publisher.send(toRecord(r)).handle((metadata, error) -> {
                if (error == null) {
                    latency = Duration.ofNanos(System.nanoTime() - startNanos);
                    return Disposition.DONE;
                }
                return routes.whyUndeliverable(request.route(), error)
                        .map(this::undeliverable)
                        .orElseThrow(() -> Futures.passOn(error));
            });
        }

        private Disposition undeliverable(String why) {
            ReplyRoute route = request.route();
            return Disposition.deadLetter("cannot reply to topic " + route.topic()
                    + route.partition().map(p -> " partition " + p).orElse("") + ": " + why);
        }

        @Override
        public void finished() {
            if (latency != null) {
                observer.replied(reply, latency);
            }
        }

        private boolean expired() {
            return request.deadlineEpochMillis().isPresent()
                    && request.deadlineEpochMillis().getAsLong() < clock.millis();
        }

        private CompletionStage<DetailsReply> answer() {
            String requestId = request.requestId().orElse(null);
            if (request instanceof ParsedRequest.Invalid invalid) {
                return CompletableFuture.completedFuture(new DetailsReply(
                        null, null, false, 0, DetailsReply.INVALID_REQUEST, requestId, invalid.reason()));
            }
            String email = ((ParsedRequest.Valid) request).email().value();
            return lookup.lookup(((ParsedRequest.Valid) request).email()).thenApply(found -> {
                if (found instanceof Lookup.Found f) {
                    EmailDetails d = f.details();
                    return new DetailsReply(
                            email,
                            d.message(),
                            d.subscribed(),
                            d.count(),
                            f.status(),
                            requestId,
                            null,
                            d.pending() ? Boolean.TRUE : null);
                }
                if (found instanceof Lookup.Unavailable u) {
                    return new DetailsReply(email, null, false, 0, DetailsReply.UNAVAILABLE, requestId, u.why());
                }
                return new DetailsReply(email, null, false, 0, DetailsReply.NOT_FOUND, requestId, null);
            });
        }

        private ProducerRecord<byte[], byte[]> toRecord(DetailsReply r) {
            ReplyRoute route = request.route();
            RecordHeaders headers = new RecordHeaders();
            route.correlationId().ifPresent(id -> headers.add(DetailsRequestParser.CORRELATION_ID, id));
            byte[] key = r.email() == null ? null : Utf8.encode(r.email());
            return new ProducerRecord<>(route.topic(), route.partition().orElse(null), key, Json.toBytes(r), headers);
        }
    }
}
