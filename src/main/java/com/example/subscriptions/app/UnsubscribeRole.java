package com.example.subscriptions.app;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.config.UnsubscribeSettings;
import com.example.subscriptions.config.WebhookSettings;
import com.example.subscriptions.http.ClientAddresses;
import com.example.subscriptions.http.HttpListener;
import com.example.subscriptions.http.ListenerLimits;
import com.example.subscriptions.http.RateLimit;
import com.example.subscriptions.http.Route;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.mail.UnsubscribeLinks;
import com.example.subscriptions.mail.UnsubscribeTokens;
import com.example.subscriptions.unsubscribe.ConfirmRoute;
import com.example.subscriptions.unsubscribe.UnsubscribeCommands;
import com.example.subscriptions.unsubscribe.UnsubscribeRoute;
import com.example.subscriptions.webhooks.GenericWebhookRoute;
import com.example.subscriptions.webhooks.ReportCommands;
import com.example.subscriptions.webhooks.SesWebhookRoute;
import com.example.subscriptions.webhooks.SnsEndpoints;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unsubscribe role: the public listener, hardened for the internet, and its routes: the one-click link, which
 * turns a click into an unsubscribe command, and the provider webhooks, which turn reports into bounce and complaint
 * commands. It binds before the worker starts, so that the links in the emails can name the port it got, and serves
 * once the topics exist.
 */
final class UnsubscribeRole {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeRole.class);
    /** No thread waits on a client or on Kafka there, so a few serve any number of connections. */
    private static final int THREADS = 16;

    private final Wiring wiring;
    private final KafkaPublisher clicks;
    private final HttpListener listener;

    private UnsubscribeRole(Wiring wiring, KafkaPublisher clicks, HttpListener listener) {
        this.wiring = wiring;
        this.clicks = clicks;
        this.listener = listener;
    }

    static UnsubscribeRole bind(Wiring wiring) {
        // Its own producer (for clicks and webhook reports), whose sends cannot block a request past the timeout nor
        // queue behind the events; made first, so that the listener stops before it.
        KafkaPublisher clicks = wiring.onStop(new KafkaPublisher(
                wiring.kafkaClients.producer("subscriptions-unsubscribe", UnsubscribeCommands.DEFAULT_TIMEOUT)));
        UnsubscribeSettings settings = wiring.settings.unsubscribe();
        HttpListener listener = wiring.onStop(
                HttpListener.bind(limits(settings), clientAddresses(settings), wiring.metrics.http("unsubscribe")));
        wiring.metrics.listener(listener);
        return new UnsubscribeRole(wiring, clicks, listener);
    }

    /** The port the listener got. */
    int port() {
        return listener.port();
    }

    /** What readiness asks of the public listener. */
    boolean accepting() {
        return listener.accepting();
    }

    /** The public listener's routes: a new one is a class of its own and a line here. */
    void serve(UnsubscribeTokens tokens, URI baseUrl, SnsEndpoints sns) {
        UnsubscribeSettings settings = wiring.settings.unsubscribe();
        UnsubscribeCommands commands = new UnsubscribeCommands(
                clicks, wiring.settings.topics().commands(), UnsubscribeCommands.DEFAULT_TIMEOUT);
        List<Route> routes = new ArrayList<>();
        routes.add(UnsubscribeRoute.route(
                tokens, commands, settings.clickWindow(), RateLimit.perMinute(settings.rateLimit()), wiring.emailMask));
        routes.add(ConfirmRoute.route(
                tokens, commands, settings.clickWindow(), RateLimit.perMinute(settings.rateLimit()), wiring.emailMask));
        routes.addAll(webhooks(sns));
        listener.serve(routes);
        log.info(
                "One-click unsubscribe on port {}, links {}{}; clients known by {}",
                listener.port(),
                baseUrl,
                UnsubscribeLinks.PATH,
                settings.trustedProxies().isEmpty()
                        ? "their connection's address (no trusted proxies)"
                        : "X-Forwarded-For from the trusted proxies " + settings.trustedProxies());
    }

    /** The provider webhooks that are configured; each is off until its setting is. */
    private List<Route> webhooks(SnsEndpoints sns) {
        WebhookSettings settings = wiring.settings.webhooks();
        ReportCommands reports =
                new ReportCommands(clicks, wiring.settings.topics().commands(), ReportCommands.DEFAULT_TIMEOUT);
        RateLimit rateLimit = RateLimit.perMinute(settings.rateLimit());
        List<Route> routes = new ArrayList<>();
        if (settings.sesEnabled()) {
            routes.add(SesWebhookRoute.route(settings.sesTopicArns(), sns, reports, rateLimit));
            log.info("SES webhook on {} for SNS topics {}", SesWebhookRoute.PATH, settings.sesTopicArns());
        }
        if (settings.genericEnabled()) {
            routes.add(GenericWebhookRoute.route(
                    settings.secrets(), settings.tolerance(), Clock.systemUTC(), reports, rateLimit));
            log.info(
                    "Generic webhook on {} with {} key(s), timestamps within {}",
                    GenericWebhookRoute.PATH,
                    settings.secrets().size(),
                    settings.tolerance());
        }
        return routes;
    }

    private static ListenerLimits limits(UnsubscribeSettings settings) {
        return new ListenerLimits(
                "unsubscribe",
                settings.bindAddress(),
                settings.port(),
                settings.headerTimeout(),
                settings.bodyTimeout(),
                settings.idleTimeout(),
                settings.maxConnections(),
                THREADS,
                ListenerLimits.DEFAULT_MAX_HEADER_BYTES);
    }

    /** @throws ConfigException naming the setting when an entry is not an address or network */
    static ClientAddresses clientAddresses(UnsubscribeSettings settings) {
        try {
            return ClientAddresses.trusting(settings.trustedProxies());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Setting 'unsubscribe.trusted-proxies': " + e.getMessage());
        }
    }

    /** The key that signs the links: the configured secret, else one of this process. */
    static UnsubscribeTokens tokens(Settings settings) {
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
}
