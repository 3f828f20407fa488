package com.example.subscriptions.app;

import com.example.subscriptions.config.MailSettings;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.core.EmailMask;
import com.example.subscriptions.mail.UnsubscribeLinks;
import com.example.subscriptions.mail.UnsubscribeTokens;
import com.example.subscriptions.tracing.Tracing;
import com.example.subscriptions.webhooks.SnsEndpoints;
import com.example.subscriptions.workflow.EmailSender;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: the roles its settings ask for, started in the order their dependencies need, and their
 * orderly shutdown. Each role's wiring is its own class ({@link WorkerRole}, {@link CommandsRole},
 * {@link ResponderRole}, {@link UnsubscribeRole}, {@link BouncesRole}); what they share is in {@link Wiring}.
 */
public final class Service implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Service.class);

    /** A consumer loop that ended on an error no retry can get past. */
    public record LoopFailure(String role, Throwable error) {}

    /** Logs a loop failure; what the process does then is its launcher's choice. */
    public static final Consumer<LoopFailure> LOG_LOOP_FAILURE = failure -> log.error(
            "The {} consumer stopped on an error it cannot get past: {}",
            failure.role(),
            failure.error().toString());

    private final Settings settings;
    private final Function<UnsubscribeLinks, EmailSender> emailSender;
    /** Whether the worker reports refusals to Kafka: with the settings' own SMTP sender, not a test's. */
    private final boolean workerReports;
    /** Where the SES webhook fetches SNS's certificates and confirms subscriptions. */
    private final SnsEndpoints sns;

    private final Wiring wiring;
    private ServiceHealth health;
    private OpsServer opsServer;
    private Optional<UnsubscribeRole> unsubscribe = Optional.empty();
    private URI unsubscribeBaseUrl;
    private Optional<com.example.subscriptions.http.HttpListener> codecServer = Optional.empty();

    private Service(
            Settings settings,
            Function<UnsubscribeLinks, EmailSender> emailSender,
            boolean workerReports,
            Tracing tracing,
            SnsEndpoints sns,
            Consumer<LoopFailure> onLoopFailure) {
        this.settings = settings;
        this.emailSender = emailSender;
        this.workerReports = workerReports;
        this.sns = sns;
        this.wiring = new Wiring(settings, tracing, onLoopFailure);
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
        return start(settings, Tracing.fromSettings(settings.tracing(), settings.showEmails()), onLoopFailure);
    }

    /** Starts with the {@link EmailSender} that {@code mail.sender} names, traced by {@code tracing}. */
    public static Service start(Settings settings, Tracing tracing, Consumer<LoopFailure> onLoopFailure) {
        return start(
                settings,
                links -> EmailSenders.fromSettings(settings, links, EmailMask.of(settings.showEmails())),
                settings.mail().sender() == MailSettings.Sender.SMTP,
                tracing,
                SnsEndpoints.amazon(),
                onLoopFailure);
    }

    /** Starts with another {@link EmailSender} for the worker role, e.g. a test's recorder; it reports to nobody. */
    public static Service start(Settings settings, EmailSender emailSender) {
        return start(
                settings,
                links -> emailSender,
                false,
                Tracing.fromSettings(settings.tracing(), settings.showEmails()),
                SnsEndpoints.amazon(),
                LOG_LOOP_FAILURE);
    }

    /** As {@link #start(Settings, EmailSender)}, with the SES webhook fetching from a test's SNS stand-in. */
    public static Service start(Settings settings, EmailSender emailSender, SnsEndpoints sns) {
        return start(
                settings,
                links -> emailSender,
                false,
                Tracing.fromSettings(settings.tracing(), settings.showEmails()),
                sns,
                LOG_LOOP_FAILURE);
    }

    private static Service start(
            Settings settings,
            Function<UnsubscribeLinks, EmailSender> emailSender,
            boolean workerReports,
            Tracing tracing,
            SnsEndpoints sns,
            Consumer<LoopFailure> onLoopFailure) {
        if (settings.roles().contains(Settings.Role.UNSUBSCRIBE)) {
            // Checked before anything connects, so that a mistake stops the start with the key's name and nothing else.
            UnsubscribeRole.clientAddresses(settings.unsubscribe());
        }
        Service service = new Service(settings, emailSender, workerReports, tracing, sns, onLoopFailure);
        try {
            service.startRoles();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void startRoles() {
        Set<Settings.Role> roles = settings.roles();
        // Registered first, so stopped last: the consumers' drain starts the moment SIGTERM lands, not after the ops
        // listener's stop, and the probes keep their answers while it runs.
        wiring.onStop(() -> {
            if (opsServer != null) {
                opsServer.close();
            }
        });
        log.info(
                "Starting roles {} against Temporal {} (namespace {})",
                roles,
                settings.temporal().address(),
                settings.temporal().namespace());
        unsubscribe = roles.contains(Settings.Role.UNSUBSCRIBE)
                ? Optional.of(UnsubscribeRole.bind(wiring))
                : Optional.empty();
        UnsubscribeTokens tokens = UnsubscribeRole.tokens(settings);
        unsubscribeBaseUrl = settings.unsubscribe()
                .baseUrl()
                .orElseGet(() -> URI.create("http://localhost:"
                        + unsubscribe
                                .map(UnsubscribeRole::port)
                                .orElse(settings.unsubscribe().port())));
        if (roles.contains(Settings.Role.WORKER)) {
            WorkerRole.start(
                    wiring, emailSender.apply(new UnsubscribeLinks(unsubscribeBaseUrl, tokens)), workerReports);
        }
        if (roles.contains(Settings.Role.COMMANDS)
                || roles.contains(Settings.Role.RESPONDER)
                || unsubscribe.isPresent()
                || roles.contains(Settings.Role.BOUNCES) && settings.bounces().enabled()) {
            wiring.openKafka();
        }
        unsubscribe.ifPresent(role -> role.serve(tokens, unsubscribeBaseUrl, sns));
        unsubscribe.ifPresent(role -> wiring.readyWhen("unsubscribe-listener", role::accepting));
        if (roles.contains(Settings.Role.COMMANDS)) {
            CommandsRole.start(wiring);
        }
        if (roles.contains(Settings.Role.RESPONDER)) {
            ResponderRole.start(wiring);
        }
        if (roles.contains(Settings.Role.BOUNCES)) {
            BouncesRole.start(wiring);
        }
        health = new ServiceHealth(
                wiring.temporal::reachable,
                wiring.kafkaReachability(),
                wiring.consumers(),
                wiring.readinessConditions());
        opsServer = new OpsServer(
                settings.serverBindAddress(),
                settings.serverPort(),
                health::liveness,
                health::readiness,
                wiring.metrics::scrape,
                wiring.metrics.http("ops"));
        wiring.metrics.listener(opsServer.listener());
        codecServer = CodecServerRole.start(wiring);
        log.info("Health and metrics on http://localhost:{}/health/ready and /metrics", opsServer.port());
    }

    public boolean ready() {
        return health.readiness().up();
    }

    public int httpPort() {
        return opsServer.port();
    }

    /** The codec server's port; only with {@code codec-server.port} set. */
    public int codecServerPort() {
        return codecServer.orElseThrow().port();
    }

    /** The public listener's port; only with the unsubscribe role. */
    public int unsubscribePort() {
        return unsubscribe.orElseThrow().port();
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
        log.info(
                "Stopping: running commands and requests finish (at most {}), nothing new starts",
                settings.shutdownTimeout());
        wiring.close();
        log.info("Stopped");
    }
}
