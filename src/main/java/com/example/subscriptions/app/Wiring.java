package com.example.subscriptions.app;

import com.example.subscriptions.config.PrivacySettings;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.core.EmailMask;
import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.kafka.AdminTopicCatalog;
import com.example.subscriptions.kafka.Backoff;
import com.example.subscriptions.kafka.ConsumerLoop;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.LoopSettings;
import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.privacy.KeyRing;
import com.example.subscriptions.privacy.PrivateDataConverter;
import com.example.subscriptions.tracing.Tracing;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the roles are wired from (settings, metrics, the Temporal connection, the Kafka clients and the Kafka pieces
 * they share), and what each role registers to be stopped: a role's starter takes what it needs from here, so that
 * adding a role or a piece to one touches no other.
 */
final class Wiring implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Wiring.class);
    /** Topic facts (ids, partition counts) are looked up again after this long. */
    private static final Duration TOPIC_FACTS_MAX_AGE = Duration.ofSeconds(60);

    /** The Kafka pieces the roles share: one admin client, one topic catalog, one producer of events and replies. */
    record SharedKafka(
            Admin admin, KafkaReachability reachability, AdminTopicCatalog topicCatalog, KafkaPublisher publisher) {}

    final Settings settings;
    final ServiceMetrics metrics;
    final Tracing tracing;
    final TemporalConnection temporal;
    final KafkaClients kafkaClients;
    final UnaryOperator<String> emailMask;
    /** The one derivation of workflow ids of every role: the email, or in privacy mode its keyed hash. */
    final SubscriberIds subscriberIds;

    private final Consumer<Service.LoopFailure> onLoopFailure;
    private final List<AutoCloseable> closeInReverse = new ArrayList<>();
    private final List<ConsumerThread> consumers = new ArrayList<>();
    private final Map<String, BooleanSupplier> readyWhen = new LinkedHashMap<>();
    private SharedKafka kafka;

    Wiring(Settings settings, Tracing tracing, Consumer<Service.LoopFailure> onLoopFailure) {
        this.settings = settings;
        this.tracing = tracing;
        this.onLoopFailure = onLoopFailure;
        this.emailMask = EmailMask.of(settings.showEmails());
        this.metrics = new ServiceMetrics();
        this.subscriberIds =
                settings.privacy().idKey().map(SubscriberIds::keyed).orElseGet(SubscriberIds::plain);
        this.temporal = TemporalConnection.open(
                settings.temporal(),
                privateDataConverter(settings.privacy()),
                metrics.temporalScope(),
                metrics.temporalTraffic(),
                tracing.clientInterceptors());
        this.kafkaClients = new KafkaClients(settings.kafka());
    }

    /** Privacy mode's encrypting data converter, or empty for the SDK's default (the tutorial's payloads). */
    static Optional<DataConverter> privateDataConverter(PrivacySettings privacy) {
        if (!privacy.enabled()) {
            return Optional.empty();
        }
        KeyRing keys = new KeyRing(privacy.payloadKeys());
        log.info(
                "Privacy mode: payloads encrypted with key '{}' ({}), workflow ids pseudonymous",
                keys.primaryId(),
                keys);
        return Optional.of(PrivateDataConverter.of(keys));
    }

    /** Stopped when the service stops, in reverse order of registration. */
    <T extends AutoCloseable> T onStop(T closeable) {
        closeInReverse.add(closeable);
        return closeable;
    }

    /** Opens the shared Kafka pieces, creating the missing topics first when {@code topics.create} says so. */
    void openKafka() {
        log.info("Kafka clients: {}", settings.kafka().redacted());
        Admin admin = Admin.create(kafkaClients.admin());
        onStop(() -> admin.close(Duration.ofSeconds(2)));
        if (settings.topics().create()) {
            TopicSetup.createMissing(admin, settings.topics());
        }
        kafka = new SharedKafka(
                admin,
                new KafkaReachability(admin),
                new AdminTopicCatalog(admin, Duration.ofSeconds(10), TOPIC_FACTS_MAX_AGE),
                onStop(new KafkaPublisher(
                        kafkaClients.producer("subscriptions-producer", tracing.producerSettings()),
                        tracing::propagating)));
    }

    /** The shared Kafka pieces; {@link #openKafka} first. */
    SharedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the shared Kafka pieces are not open");
        }
        return kafka;
    }

    Optional<ServiceHealth.Reachability> kafkaReachability() {
        return Optional.ofNullable(kafka).map(k -> k.reachability()::reachable);
    }

    List<ConsumerThread> consumers() {
        return Collections.unmodifiableList(consumers);
    }

    /** A condition of readiness beyond the services and the consumers, e.g. a table read whole. */
    void readyWhen(String check, BooleanSupplier condition) {
        readyWhen.put(check, condition);
    }

    Map<String, BooleanSupplier> readinessConditions() {
        return Collections.unmodifiableMap(readyWhen);
    }

    /** A pool of daemon threads for blocking calls, shut down when the service stops. */
    ExecutorService boundedPool(String prefix, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads, factory);
        onStop(pool::shutdownNow);
        return pool;
    }

    /** Starts a consumer loop on its own thread; it drains and commits when the service stops. */
    void startConsumer(
            String role, String topic, String deadLetterTopic, String groupId, int maxInFlight, RecordHandler handler) {
        LoopSettings loopSettings = new LoopSettings(
                role, topic, deadLetterTopic, maxInFlight, settings.shutdownTimeout(), Backoff.DEFAULT);
        KafkaConsumer<byte[], byte[]> consumer =
                kafkaClients.consumer(groupId, "subscriptions-" + role, loopSettings.maxPollRecords());
        ConsumerLoop loop =
                new ConsumerLoop(loopSettings, consumer, kafka().publisher(), tracing.consumer(topic, handler));
        metrics.consumer(role, deadLetterTopic, loop, consumer);
        ConsumerThread thread = new ConsumerThread(
                role, loop, (name, error) -> onLoopFailure.accept(new Service.LoopFailure(name, error)));
        thread.start();
        consumers.add(thread);
        onStop(() -> thread.stop(settings.shutdownTimeout()));
    }

    /**
     * Stops in reverse order of start: consumers drain and commit first, the worker goes last. Every consumer is told
     * to stop before anything else closes: one that is still running while another drains (or a listener stops) would
     * keep starting the records that wait behind the ones it finishes.
     */
    @Override
    public void close() {
        consumers.forEach(ConsumerThread::requestStop);
        List<AutoCloseable> toClose = new ArrayList<>(closeInReverse);
        closeInReverse.clear();
        Collections.reverse(toClose);
        for (AutoCloseable closeable : toClose) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("Error while stopping: {}", e.toString());
            }
        }
        temporal.close();
        metrics.close();
        tracing.close();
    }
}
