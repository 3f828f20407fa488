package com.example.subscriptions.app;

import com.example.subscriptions.command.CommandHandler;
import com.example.subscriptions.command.CommandParser;
import com.example.subscriptions.command.Outcome;
import com.example.subscriptions.command.SubscriptionEvent;
import com.example.subscriptions.command.Subscriptions;
import com.example.subscriptions.command.TemporalSubscriptions;
import com.example.subscriptions.config.CommandSettings;
import com.example.subscriptions.config.DetailsSettings;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.status.DetailsHandler;
import com.example.subscriptions.status.DetailsReply;
import com.example.subscriptions.status.DetailsRequestParser;
import com.example.subscriptions.status.SubscriptionLookup;
import com.example.subscriptions.status.TemporalSubscriptionLookup;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import com.example.subscriptions.kafka.Backoff;
import com.example.subscriptions.kafka.ConsumerLoop;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.LoopSettings;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import com.example.subscriptions.core.EmailMask;
import com.example.subscriptions.workflow.EmailSender;
import com.example.subscriptions.workflow.LoggingEmailSender;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running service: the roles its settings ask for, wired together, and their orderly shutdown. */
public final class Service implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Service.class);

    private final Settings settings;
    private final TemporalConnection temporal;
    private final KafkaClients kafkaClients;
    private final UnaryOperator<String> emailMask;
    private final EmailSender emailSender;
    private final List<Runnable> stopInOrder = new ArrayList<>();
    private final List<ConsumerRole> consumers = new ArrayList<>();
    private KafkaPublisher publisher;

    private Service(Settings settings, EmailSender emailSender) {
        this.settings = settings;
        this.emailSender = emailSender;
        this.temporal = TemporalConnection.open(settings.temporal());
        this.kafkaClients = new KafkaClients(settings.kafka());
        this.emailMask = EmailMask.of(settings.showEmails());
    }

    public static Service start(Settings settings) {
        return start(settings, new LoggingEmailSender(EmailMask.of(settings.showEmails())));
    }

    /** Starts with another {@link EmailSender} for the worker role: a real mailer, or a test's recorder. */
    public static Service start(Settings settings, EmailSender emailSender) {
        Service service = new Service(settings, emailSender);
        try {
            service.startRoles();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void startRoles() {
        log.info("Starting roles {} against Temporal {} (namespace {})", settings.roles(),
                settings.temporal().address(), settings.temporal().namespace());
        if (settings.roles().contains(Settings.Role.WORKER)) {
            WorkerRole worker = new WorkerRole(temporal.client(), settings.temporal().taskQueue(), emailSender);
            worker.start();
            stopInOrder.add(() -> worker.stop(settings.shutdownTimeout()));
        }
        if (settings.roles().contains(Settings.Role.COMMANDS) || settings.roles().contains(Settings.Role.RESPONDER)) {
            log.info("Kafka clients: {}", settings.kafka().redacted());
            if (settings.topics().create()) {
                TopicSetup.createMissing(kafkaClients.admin(), settings.topics());
            }
            publisher = new KafkaPublisher(kafkaClients.producer("subscriptions-producer"));
            stopInOrder.add(publisher::close);
        }
        if (settings.roles().contains(Settings.Role.COMMANDS)) {
            startConsumer(commandsRole());
        }
        if (settings.roles().contains(Settings.Role.RESPONDER)) {
            startConsumer(responderRole());
        }
    }

    private ConsumerRole responderRole() {
        DetailsSettings details = settings.details();
        ExecutorService queries = Executors.newFixedThreadPool(details.maxInFlight(), daemonThreads("temporal-queries"));
        stopInOrder.add(queries::shutdownNow);
        SubscriptionLookup lookup = new TemporalSubscriptionLookup(temporal.service(),
                settings.temporal().namespace(), details.queryTimeout(), queries);
        DetailsHandler handler = new DetailsHandler(new DetailsRequestParser(settings.topics().detailsReplies()),
                lookup, publisher, Clock.systemUTC(), new DetailsHandler.Observer() {
                    @Override
                    public void replied(DetailsReply reply, Duration latency) {
                        log.info("details {}: {} in {} ms", emailMask.apply(reply.email()), reply.status(),
                                latency.toMillis());
                    }

                    @Override
                    public void expired(ConsumerRecord<byte[], byte[]> request) {
                        log.info("details request {}-{}@{} dropped: its deadline passed", request.topic(),
                                request.partition(), request.offset());
                    }
                });
        LoopSettings loop = new LoopSettings("responder", settings.topics().detailsRequests(),
                settings.topics().detailsRequestsDeadLetter(), details.maxInFlight(), settings.shutdownTimeout(),
                Backoff.DEFAULT);
        return new ConsumerRole("responder", new ConsumerLoop(loop,
                kafkaClients.consumer(details.groupId(), "subscriptions-responder"), publisher, handler));
    }

    private ConsumerRole commandsRole() {
        CommandSettings commands = settings.commands();
        ExecutorService temporalCalls = Executors.newFixedThreadPool(commands.maxInFlight(),
                daemonThreads("temporal-commands"));
        stopInOrder.add(temporalCalls::shutdownNow);
        Subscriptions subscriptions = new TemporalSubscriptions(temporal.client(),
                settings.temporal().workflowType(), settings.temporal().taskQueue(), commands.interval(),
                commands.emailsPerRun(), temporalCalls);
        CommandHandler handler = new CommandHandler(new CommandParser(commands.maxRecordBytes()), subscriptions,
                publisher, settings.topics().events(), Clock.systemUTC(), this::logCommand);
        LoopSettings loop = new LoopSettings("commands", settings.topics().commands(),
                settings.topics().commandsDeadLetter(), commands.maxInFlight(), settings.shutdownTimeout(),
                Backoff.DEFAULT);
        return new ConsumerRole("commands", new ConsumerLoop(loop,
                kafkaClients.consumer(commands.groupId(), "subscriptions-commands"), publisher, handler));
    }

    private void startConsumer(ConsumerRole role) {
        role.start();
        consumers.add(role);
        stopInOrder.add(() -> role.stop(settings.shutdownTimeout()));
    }

    private void logCommand(SubscriptionEvent event) {
        String email = emailMask.apply(event.email());
        if (event.outcome() == Outcome.REJECTED) {
            log.warn("Rejected command {}: {}", event.commandId(), event.reason());
        } else {
            log.info("{} {}: {} ({})", event.type(), email, event.outcome(), event.commandId());
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** True while every consumer role is running and has joined its group. */
    public boolean consumersReady() {
        return consumers.stream().allMatch(c -> c.isAlive() && c.loop().joinedGroup());
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public synchronized void close() {
        List<Runnable> stops = new ArrayList<>(stopInOrder);
        stopInOrder.clear();
        Collections.reverse(stops);
        stops.forEach(Runnable::run);
        temporal.close();
        log.info("Stopped");
    }
}
