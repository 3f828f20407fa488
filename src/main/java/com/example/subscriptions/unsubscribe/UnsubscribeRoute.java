package com.example.subscriptions.unsubscribe;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.http.OncePerWindow;
import com.example.subscriptions.http.RateLimit;
import com.example.subscriptions.http.Reply;
import com.example.subscriptions.http.Route;
import com.example.subscriptions.http.RouteRequest;
import com.example.subscriptions.mail.UnsubscribeLinks;
import com.example.subscriptions.mail.UnsubscribeTokens;
import com.example.subscriptions.mail.UnsubscribeTokens.Verification;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /unsubscribe?token=...}, the link in every email. {@code POST} with the RFC 8058 body publishes an
 * unsubscribe command and answers once Kafka acknowledged it; {@code GET} (what link scanners and browsers do) changes
 * nothing and shows a button that POSTs. A token that is not ours is refused with a 4xx and publishes nothing. Clicks
 * for one subscriber within the click window publish one command between them and all get its answer: a flood of one
 * link costs Kafka and Temporal one command, and the subscriber's partition stays free for everyone else's.
 */
public final class UnsubscribeRoute implements Route.Handler {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeRoute.class);
    /** A one-click body is 26 bytes; anything near this is not one. */
    public static final int MAX_BODY_BYTES = 8 * 1024;
    /** Subscribers whose last click is remembered, at most: about 2 MiB. */
    public static final int MAX_REMEMBERED_CLICKS = 10_000;

    private final UnsubscribeTokens tokens;
    private final UnsubscribeCommands commands;
    private final OncePerWindow<EmailAddress, Optional<String>> clicks;
    private final UnaryOperator<String> emailMask;
    private final RefusalLog refusals = new RefusalLog("Unsubscribe link");

    private UnsubscribeRoute(
            UnsubscribeTokens tokens,
            UnsubscribeCommands commands,
            Duration clickWindow,
            UnaryOperator<String> emailMask) {
        this.tokens = tokens;
        this.commands = commands;
        // Only a published command is worth repeating: after a failure the next click tries Kafka again.
        this.clicks = new OncePerWindow<>(clickWindow, MAX_REMEMBERED_CLICKS, Optional::isPresent, System::nanoTime);
        this.emailMask = emailMask;
    }

    /**
     * @param clickWindow how long one subscriber's clicks share one command
     * @param rateLimit requests per client address
     */
    public static Route route(
            UnsubscribeTokens tokens,
            UnsubscribeCommands commands,
            Duration clickWindow,
            RateLimit rateLimit,
            UnaryOperator<String> emailMask) {
        return new Route(
                "unsubscribe",
                UnsubscribeLinks.PATH,
                Set.of("GET", "HEAD", "POST"),
                MAX_BODY_BYTES,
                rateLimit,
                new UnsubscribeRoute(tokens, commands, clickWindow, emailMask));
    }

    @Override
    public CompletableFuture<Reply> handle(RouteRequest request) {
        Verification verification = tokens.verify(token(request.rawQuery()));
        if (verification instanceof Verification.Refused refused) {
            return refusals.answer(refused, request);
        }
        EmailAddress email = ((Verification.Valid) verification).email();
        if (!request.method().equals("POST")) {
            return CompletableFuture.completedFuture(
                    Reply.html(200, "confirm_page", UnsubscribePages.confirm(email.value())));
        }
        if (!OneClickBody.isOneClick(request.header("Content-Type").orElse(null), request.body())) {
            return CompletableFuture.completedFuture(Reply.html(
                    400,
                    "not_one_click",
                    UnsubscribePages.refused("A POST to this link must carry " + OneClickBody.FIELD + "="
                            + OneClickBody.VALUE + " (RFC 8058).")));
        }
        OncePerWindow.Run<Optional<String>> click = clicks.run(email, () -> commands.publish(email));
        return click.result().thenApply(commandId -> answer(email, commandId, click.repeated()));
    }

    private Reply answer(EmailAddress email, Optional<String> commandId, boolean repeated) {
        if (commandId.isEmpty()) {
            if (!repeated) {
                log.warn(
                        "Unsubscribe link for {}: Kafka did not acknowledge the command within {}; answered 503",
                        emailMask.apply(email.value()),
                        commands.timeout());
            }
            return Reply.html(503, "kafka_unavailable", UnsubscribePages.unavailable())
                    .withHeader("Retry-After", "60");
        }
        if (!repeated) {
            log.info("Unsubscribe link for {}: published {}", emailMask.apply(email.value()), commandId.get());
        }
        return Reply.html(200, repeated ? "repeated" : "published", UnsubscribePages.unsubscribed(email.value()));
    }

    /** The first {@code token} parameter of the query, decoded; null when there is none. */
    static String token(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(UnsubscribeLinks.TOKEN_PARAMETER + "=")) {
                try {
                    return URLDecoder.decode(
                            pair.substring(UnsubscribeLinks.TOKEN_PARAMETER.length() + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
