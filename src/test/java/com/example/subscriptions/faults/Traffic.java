package com.example.subscriptions.faults;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.status.DetailsRequestParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Commands and details requests produced to one service's topics as outside clients produce them: keyed by email,
 * idempotently, in order per email, riding out a broker outage (sends queue up and land when it is back). Remembers
 * every send and when it was made. Thread-safe; {@link EventLog} reads what the service made of them.
 */
public final class Traffic implements AutoCloseable {

    /** One command sent; {@code acked} completes with its partition and offset. */
    public record Sent(Command command, long atNanos, CompletableFuture<RecordMetadata> acked) {}

    /** One details request sent, with a {@code kafka_correlationId} and a {@code requestId}. */
    public record Request(String requestId, String email, long atNanos, CompletableFuture<RecordMetadata> acked) {}

    private final String commandsTopic;
    private final String requestsTopic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** @param topics the service's topics by setting ({@code topics.commands}, ...), as {@code ServiceFixture} has */
    public Traffic(String bootstrapServers, Map<String, String> topics) {
        this.commandsTopic = topics.get("topics.commands");
        this.requestsTopic = topics.get("topics.details-requests");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        // Kafka 4 clients forget the cluster's metadata when every broker is gone ("rebootstrap"), and send() then
        // blocks for it: keeping it lets sends queue up during an outage.
        props.put(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Against the test broker. */
    public Traffic(Map<String, String> topics) {
        this(TestKafka.bootstrapServers(), topics);
    }

    /** Sends them all and waits until the broker has acknowledged every one. */
    public void send(List<Command> commands) {
        List<Sent> batch = commands.stream().map(this::send).toList();
        batch.forEach(s -> s.acked().orTimeout(120, TimeUnit.SECONDS).join());
    }

    public Sent send(Command command) {
        Sent one = new Sent(
                command,
                System.nanoTime(),
                send(new ProducerRecord<>(commandsTopic, bytes(command.email()), bytes(command.json()))));
        sent.add(one);
        return one;
    }

    /** Asks for the details of one of the emails sent so far (of nobody, if none was). */
    public Request requestDetails() {
        String email = sent.isEmpty()
                ? "nobody@example.com"
                : sent.get(ThreadLocalRandom.current().nextInt(sent.size()))
                        .command()
                        .email();
        String requestId = UUID.randomUUID().toString();
        RecordHeaders headers = new RecordHeaders();
        headers.add(DetailsRequestParser.CORRELATION_ID, bytes(requestId));
        byte[] value = bytes("{\"email\":\"" + email + "\",\"requestId\":\"" + requestId + "\"}");
        Request request = new Request(
                requestId,
                email,
                System.nanoTime(),
                send(new ProducerRecord<>(requestsTopic, null, bytes(email), value, headers)));
        requests.add(request);
        return request;
    }

    /** Every command sent so far, in the order sent (each email's in its log order). */
    public List<Command> commands() {
        return sent.stream().map(Sent::command).toList();
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** How many commands were sent after {@code nanos} ({@link System#nanoTime()}). */
    public long sentAfter(long nanos) {
        return sent.stream().filter(s -> s.atNanos() > nanos).count();
    }

    /**
     * Produces the commands in the background, in order, at about {@code perSecond} but never more than
     * {@code maxAhead} ahead of {@code done} (e.g. {@link EventLog#size()}), so that the stream is still running when a
     * test's fault lands, however fast the machine; returns at once.
     */
    public Pace stream(List<Command> commands, int perSecond, IntSupplier done, int maxAhead) {
        int perTick = Math.max(1, perSecond * (int) Pace.TICK.toMillis() / 1000);
        return new Pace(commands.iterator(), Pace.TICK, perTick, done, maxAhead, false);
    }

    /** Produces {@code perTick} commands, and a details request if {@code withRequests}, every {@code tick}. */
    public Pace stream(Iterator<Command> commands, Duration tick, int perTick, boolean withRequests) {
        return new Pace(commands, tick, perTick, () -> 0, Integer.MAX_VALUE, withRequests);
    }

    /** Commands (and requests) being produced at a steady pace, from a thread of its own. */
    public final class Pace implements AutoCloseable {

        static final Duration TICK = Duration.ofMillis(50);

        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fault-traffic");
            thread.setDaemon(true);
            return thread;
        });
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile int produced;

        private Pace(
                Iterator<Command> commands,
                Duration tick,
                int perTick,
                IntSupplier done,
                int maxAhead,
                boolean withRequests) {
            timer.scheduleAtFixedRate(
                    () -> {
                        try {
                            long allowed = (long) done.getAsInt() + maxAhead;
                            for (int i = 0; i < perTick && produced < allowed && commands.hasNext(); i++) {
                                send(commands.next());
                                produced++;
                            }
                            if (withRequests) {
                                requestDetails();
                            }
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                            throw e;
                        }
                    },
                    0,
                    tick.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        /** How many commands it has handed to the producer so far. */
        public int produced() {
            return produced;
        }

        /** Waits until {@code total} are produced, then stops. */
        public void awaitDone(int total, Duration timeout) {
            FaultChecks.await(timeout).alias(total + " commands produced").until(() -> produced >= total);
            stop();
        }

        /** Stops producing, and checks that every record sent (by anyone) was acknowledged by the broker. */
        public void stop() {
            timer.shutdown();
            try {
                assertTrue(timer.awaitTermination(30, TimeUnit.SECONDS), "the stream stopped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            assertNull(failure.get(), () -> "the stream failed: " + failure.get());
            producer.flush();
            Stream.concat(sent.stream().map(Sent::acked), requests.stream().map(Request::acked))
                    .forEach(acked -> assertTrue(
                            acked.isDone() && !acked.isCompletedExceptionally(),
                            () -> "a send was not acknowledged: " + acked));
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                acked.completeExceptionally(error);
            } else {
                acked.complete(metadata);
            }
        });
        return acked;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
