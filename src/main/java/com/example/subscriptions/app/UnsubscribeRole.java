package com.example.subscriptions.app;

import com.example.subscriptions.config.Settings;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.mail.UnsubscribeLinks;
import com.example.subscriptions.mail.UnsubscribeTokens;
import com.example.subscriptions.unsubscribe.UnsubscribeCommands;
import com.example.subscriptions.unsubscribe.UnsubscribeListener;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unsubscribe role: the public one-click listener, which turns a click into an unsubscribe command. It binds
 * before the worker starts, so that the links in the emails can name the port it got, and serves once the topics
 * exist.
 */
final class UnsubscribeRole {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeRole.class);

    private final Wiring wiring;
    private final KafkaPublisher clicks;
    private final UnsubscribeListener listener;

    private UnsubscribeRole(Wiring wiring, KafkaPublisher clicks, UnsubscribeListener listener) {
        this.wiring = wiring;
        this.clicks = clicks;
        this.listener = listener;
    }

    static UnsubscribeRole bind(Wiring wiring) {
        // Its own producer, whose sends cannot block a click past the timeout nor queue behind the events; made
        // first, so that the listener stops before it.
        KafkaPublisher clicks = wiring.onStop(new KafkaPublisher(
                wiring.kafkaClients.producer("subscriptions-unsubscribe", UnsubscribeCommands.DEFAULT_TIMEOUT)));
        UnsubscribeListener listener = wiring.onStop(
                UnsubscribeListener.bind(wiring.settings.unsubscribe().port()));
        return new UnsubscribeRole(wiring, clicks, listener);
    }

    /** The port the listener got. */
    int port() {
        return listener.port();
    }

    void serve(UnsubscribeTokens tokens, URI baseUrl) {
        listener.serve(
                tokens,
                new UnsubscribeCommands(
                        clicks, wiring.settings.topics().commands(), UnsubscribeCommands.DEFAULT_TIMEOUT),
                wiring.emailMask);
        log.info("One-click unsubscribe on port {}, links {}{}", listener.port(), baseUrl, UnsubscribeLinks.PATH);
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
