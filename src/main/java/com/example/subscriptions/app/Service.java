package com.example.subscriptions.app;

import com.example.subscriptions.command.CommandHandler;
import com.example.subscriptions.command.CommandParser;
import com.example.subscriptions.command.Outcome;
import com.example.subscriptions.command.SubscriptionEvent;
import com.example.subscriptions.command.TemporalSubscriptions;
import com.example.subscriptions.config.CommandSettings;
import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.DetailsSettings;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.config.UnsubscribeSettings;
import com.example.subscriptions.core.EmailMask;
import com.example.subscriptions.http.ClientAddresses;
import com.example.subscriptions.http.HttpListener;
import com.example.subscriptions.http.ListenerLimits;
import com.example.subscriptions.http.RateLimit;
import com.example.subscriptions.kafka.AdminTopicCatalog;
import com.example.subscriptions.kafka.Backoff;
import com.example.subscriptions.kafka.ConsumerLoop;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.LoopSettings;
import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.mail.UnsubscribeLinks;
import com.example.subscriptions.mail.UnsubscribeTokens;
import com.example.subscriptions.status.DetailsHandler;
import com.example.subscriptions.status.DetailsReply;
import com.example.subscriptions.status.DetailsRequestParser;
import com.example.subscriptions.status.TemporalSubscriptionLookup;
import com.example.subscriptions.unsubscribe.UnsubscribeCommands;
import com.example.subscriptions.unsubscribe.UnsubscribeRoute;
import com.example.subscriptions.workflow.EmailSender;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running service: the roles its settings ask for, wired together, and their orderly shutdown. */
public final class Service implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Service.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** No thread waits on a client or on Kafka there, so a few serve any number of connections. */
    private static final int PUBLIC_LISTENER_THREADS = 16;
    /** Topic facts (ids, partition counts) are looked up again after this long. */
    private static final Duration TOPIC_FACTS_MAX_AGE = Duration.ofSeconds(60);
    /** A consumer loop that ended on an error no retry can get past. */
    public record LoopFailure(String role, Throwable error) {}

    /** Logs a loop failure; what the process does then is its launcher's choice. */
    public static final Consumer<LoopFailure> LOG_LOOP_FAILURE = failure -> log.error(
            "The {} consumer stopped on an error it cannot get past: {}",
            failure.role(),
            failure.error().toString());

    private final Settings settings;
    private final Function<UnsubscribeLinks, EmailSender> emailSender;
    private final Consumer<LoopFailure> onLoopFailure;
    private final UnaryOperator<String> emailMask;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final TemporalConnection temporal;
    private final KafkaClients kafkaClients;
    private final List<AutoCloseable> closeInReverse = new ArrayList<>();
    private final List<ConsumerRole> consumers = new ArrayList<>();
    private WorkerRole worker;
    private KafkaPublisher publisher;
    private Admin admin;
    private AdminTopicCatalog topicCatalog;
    private KafkaReachability kafkaReachability;
    private OpsServer opsServer;
    private HttpListener publicListener;
    private URI unsubscribeBaseUrl;

    private Service(
            Settings settings,
            Function<UnsubscribeLinks, EmailSender> emailSender,
            Consumer<LoopFailure> onLoopFailure) {
        this.settings = settings;
        this.emailSender = emailSender;
        this.onLoopFailure = onLoopFailure;
        this.emailMask = EmailMask.of(settings.showEmails());
        this.temporal =
                TemporalConnection.open(settings.temporal(), metrics.temporalScope(), metrics.temporalTraffic());
        this.kafkaClients = new KafkaClients(settings.kafka());
    }

    /** Starts with the {@link EmailSender} that {@code mail.sender} names. */
    public static Service start(Settings settings) {
        return start(settings, LOG_LOOP_FAILURE);
    }

    /**
     * Starts with the {@link EmailSender} that {@code mail.sender} names.
     *
     * @param onLoopFailure told when a consumer loop ends on an error no retry can get past; the service's own
     *     launcher exits, so that a supervisor restarts the process
     */
    public static Service start(Settings settings, Consumer<LoopFailure> onLoopFailure) {
        return start(
                settings,
                links -> EmailSenders.fromSettings(settings, links, EmailMask.of(settings.showEmails())),
                onLoopFailure);
    }

    /** Starts with another {@link EmailSender} for the worker role, e.g. a test's recorder. */
    public static Service start(Settings settings, EmailSender emailSender) {
        return start(settings, links -> emailSender, LOG_LOOP_FAILURE);
    }

    private static Service start(
            Settings settings,
            Function<UnsubscribeLinks, EmailSender> emailSender,
            Consumer<LoopFailure> onLoopFailure) {
        if (settings.roles().contains(Settings.Role.UNSUBSCRIBE)) {
            // Checked before anything connects, so that a mistake stops the start with the key's name and nothing else.
            clientAddresses(settings.unsubscribe());
        }
        Service service = new Service(settings, emailSender, onLoopFailure);
        try {
            service.startRoles();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void startRoles() {
        log.info(
                "Starting roles {} against Temporal {} (namespace {})",
                settings.roles(),
                settings.temporal().address(),
                settings.temporal().namespace());
        boolean unsubscribe = settings.roles().contains(Settings.Role.UNSUBSCRIBE);
        UnsubscribeTokens tokens = unsubscribeTokens();
        KafkaPublisher clicks = null;
        if (unsubscribe) {
            // Its own producer, whose sends cannot block a click past the timeout nor queue behind the events;
            // made first, so that the listener stops before it.
            clicks = new KafkaPublisher(
                    kafkaClients.producer("subscriptions-unsubscribe", UnsubscribeCommands.DEFAULT_TIMEOUT));
            closeInReverse.add(clicks);
            // Bound before the worker starts, so that the links in its emails can name the port it got.
            publicListener = HttpListener.bind(
                    publicLimits(settings.unsubscribe()),
                    clientAddresses(settings.unsubscribe()),
                    metrics.http("unsubscribe"));
            closeInReverse.add(publicListener);
            metrics.listener(publicListener);
        }
        unsubscribeBaseUrl = settings.unsubscribe()
                .baseUrl()
                .orElseGet(() -> URI.create("http://localhost:"
                        + (unsubscribe
                                ? publicListener.port()
                                : settings.unsubscribe().port())));
        if (settings.roles().contains(Settings.Role.WORKER)) {
            worker = new WorkerRole(
                    temporal.client(),
                    settings.temporal().taskQueue(),
                    emailSender.apply(new UnsubscribeLinks(unsubscribeBaseUrl, tokens)));
            worker.start();
            closeInReverse.add(() -> worker.stop(settings.shutdownTimeout()));
        }
        boolean usesKafka = settings.roles().contains(Settings.Role.COMMANDS)
                || settings.roles().contains(Settings.Role.RESPONDER)
                || unsubscribe;
        if (usesKafka) {
            log.info("Kafka clients: {}", settings.kafka().redacted());
            // One admin client for topic creation, readiness probes and topic ids.
            admin = Admin.create(kafkaClients.admin());
            closeInReverse.add(() -> admin.close(Duration.ofSeconds(2)));
            if (settings.topics().create()) {
                TopicSetup.createMissing(admin, settings.topics());
            }
            kafkaReachability = new KafkaReachability(admin);
            topicCatalog = new AdminTopicCatalog(admin, Duration.ofSeconds(10), TOPIC_FACTS_MAX_AGE);
            publisher = new KafkaPublisher(kafkaClients.producer("subscriptions-producer"));
            closeInReverse.add(publisher);
        }
        if (unsubscribe) {
            startUnsubscribe(tokens, clicks);
        }
        if (settings.roles().contains(Settings.Role.COMMANDS)) {
            startCommands();
        }
        if (settings.roles().contains(Settings.Role.RESPONDER)) {
            startResponder();
        }
        opsServer = new OpsServer(
                settings.serverBindAddress(),
                settings.serverPort(),
                this::liveness,
                this::readiness,
                metrics::scrape,
                metrics.http("ops"));
        closeInReverse.add(opsServer);
        metrics.listener(opsServer.listener());
        log.info("Health and metrics on http://localhost:{}/health/ready and /metrics", opsServer.port());
    }

    /** The public listener's routes: a new one is a class of its own and a line here. */
    private void startUnsubscribe(UnsubscribeTokens tokens, KafkaPublisher clicks) {
        UnsubscribeSettings unsubscribe = settings.unsubscribe();
        RateLimit perClient = RateLimit.perMinute(unsubscribe.rateLimit());
        publicListener.serve(List.of(UnsubscribeRoute.route(
                tokens,
                new UnsubscribeCommands(clicks, settings.topics().commands(), UnsubscribeCommands.DEFAULT_TIMEOUT),
                unsubscribe.clickWindow(),
                perClient,
                emailMask)));
        log.info(
                "One-click unsubscribe on port {}, links {}{}; clients known by {}",
                publicListener.port(),
                unsubscribeBaseUrl,
                UnsubscribeLinks.PATH,
                unsubscribe.trustedProxies().isEmpty()
                        ? "their connection's address (no trusted proxies)"
                        : "X-Forwarded-For from the trusted proxies " + unsubscribe.trustedProxies());
    }

    private static ListenerLimits publicLimits(UnsubscribeSettings unsubscribe) {
        return new ListenerLimits(
                "unsubscribe",
                unsubscribe.bindAddress(),
                unsubscribe.port(),
                unsubscribe.headerTimeout(),
                unsubscribe.bodyTimeout(),
                unsubscribe.idleTimeout(),
                unsubscribe.maxConnections(),
                PUBLIC_LISTENER_THREADS,
                ListenerLimits.DEFAULT_MAX_HEADER_BYTES);
    }

    private static ClientAddresses clientAddresses(UnsubscribeSettings unsubscribe) {
        try {
            return ClientAddresses.trusting(unsubscribe.trustedProxies());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Setting 'unsubscribe.trusted-proxies': " + e.getMessage());
        }
    }

    private UnsubscribeTokens unsubscribeTokens() {
        return settings.unsubscribe()
                .secret()
                .map(UnsubscribeTokens::withSecret)
                .orElseGet(() -> {
                    if (settings.roles().contains(Settings.Role.UNSUBSCRIBE)) {
                        // Settings refuse an empty secret with the smtp sender; the log sender sends no links to break.
                        log.info(
                                "unsubscribe.secret is empty: links are signed with a key of this process only and stop"
                                        + " working when it restarts (no matter with mail.sender=log, which sends none)");
                    }
                    return UnsubscribeTokens.withRandomSecret();
                });
    }

    private void startCommands() {
        CommandSettings commands = settings.commands();
        ExecutorService temporalCalls = boundedPool("temporal-commands", commands.maxInFlight());
        TemporalSubscriptions subscriptions = new TemporalSubscriptions(
                temporal.client(),
                settings.temporal().workflowType(),
                settings.temporal().taskQueue(),
                commands.interval(),
                commands.emailsPerRun(),
                temporalCalls);
        CommandHandler handler = new CommandHandler(
                new CommandParser(commands.maxRecordBytes()),
                subscriptions,
                publisher,
                settings.topics().events(),
                Clock.systemUTC(),
                this::commandHandled,
                topicCatalog);
        startConsumer(
                "commands",
                settings.topics().commands(),
                settings.topics().commandsDeadLetter(),
                commands.groupId(),
                commands.maxInFlight(),
                handler);
    }

    private void startResponder() {
        DetailsSettings details = settings.details();
        ExecutorService queries = boundedPool("temporal-queries", details.maxInFlight());
        TemporalSubscriptionLookup lookup = new TemporalSubscriptionLookup(
                temporal.service(), settings.temporal().namespace(), details.queryTimeout(), queries);
        DetailsHandler handler = new DetailsHandler(
                new DetailsRequestParser(settings.topics().detailsReplies()),
                lookup,
                publisher,
                topicCatalog,
                Clock.systemUTC(),
                new DetailsHandler.Observer() {
                    @Override
                    public void replied(DetailsReply reply, Duration latency) {
                        metrics.detailsReply(reply, latency);
                        log.info(
                                "details {}: {} in {} ms",
                                emailMask.apply(reply.email()),
                                reply.status(),
                                latency.toMillis());
                    }

                    @Override
                    public void expired(ConsumerRecord<byte[], byte[]> request) {
                        metrics.detailsExpired();
                        log.info(
                                "details request {}-{}@{} dropped: its deadline had passed",
                                request.topic(),
                                request.partition(),
                                request.offset());
                    }
                });
        startConsumer(
                "responder",
                settings.topics().detailsRequests(),
                settings.topics().detailsRequestsDeadLetter(),
                details.groupId(),
                details.maxInFlight(),
                handler);
    }

    private void startConsumer(
            String role, String topic, String deadLetterTopic, String groupId, int maxInFlight, RecordHandler handler) {
        LoopSettings loopSettings = new LoopSettings(
                role, topic, deadLetterTopic, maxInFlight, settings.shutdownTimeout(), Backoff.DEFAULT);
        KafkaConsumer<byte[], byte[]> consumer =
                kafkaClients.consumer(groupId, "subscriptions-" + role, loopSettings.maxPollRecords());
        ConsumerLoop loop = new ConsumerLoop(loopSettings, consumer, publisher, handler);
        metrics.consumer(role, deadLetterTopic, loop, consumer);
        ConsumerRole consumerRole =
                new ConsumerRole(role, loop, (name, error) -> onLoopFailure.accept(new LoopFailure(name, error)));
        consumerRole.start();
        consumers.add(consumerRole);
        closeInReverse.add(() -> consumerRole.stop(settings.shutdownTimeout()));
    }

    private void commandHandled(SubscriptionEvent event) {
        metrics.command(event);
        // A rejected command is logged once, with its reason, when the loop dead-letters it.
        if (event.outcome() != Outcome.REJECTED) {
            log.info(
                    "{} {}: {} ({})", event.type(), emailMask.apply(event.email()), event.outcome(), event.commandId());
        }
    }

    private ExecutorService boundedPool(String prefix, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads, factory);
        closeInReverse.add(pool::shutdownNow);
        return pool;
    }

    /** Live while every consumer loop runs: a loop that ended needs a restart. */
    Health liveness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        consumers.forEach(c -> checks.put(c.name(), c.isAlive()));
        return Health.of(checks);
    }

    /**
     * Ready when Temporal and Kafka answer, every consumer is a member of its group and making progress (no record
     * has waited {@link LoopSettings#DEFAULT_STALL_TIMEOUT} while none finished), and the public listener can take a
     * connection and has a thread to answer it.
     */
    Health readiness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("temporal", temporal.reachable(PROBE_TIMEOUT));
        if (kafkaReachability != null) {
            checks.put("kafka", kafkaReachability.reachable(PROBE_TIMEOUT));
        }
        if (publicListener != null) {
            checks.put("unsubscribe-listener", publicListener.accepting());
        }
        consumers.forEach(c -> {
            checks.put(c.name(), c.isAlive() && c.loop().health().member());
            checks.put(c.name() + "-progress", !c.loop().health().stalled(LoopSettings.DEFAULT_STALL_TIMEOUT));
        });
        return Health.of(checks);
    }

    public boolean ready() {
        return readiness().up();
    }

    public int httpPort() {
        return opsServer.port();
    }

    /** The public listener's port; only with the unsubscribe role. */
    public int unsubscribePort() {
        return publicListener.port();
    }

    /** The public URL the links in the emails start with. */
    public URI unsubscribeBaseUrl() {
        return unsubscribeBaseUrl;
    }

    public Settings settings() {
        return settings;
    }

    /** Stops in reverse order of start: consumers drain and commit first, the worker goes last. */
    @Override
    public synchronized void close() {
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
        log.info("Stopped");
    }
}
