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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /confirm?token=...}, the link of a double opt-in confirmation email. {@code GET} (link scanners, browsers)
 * changes nothing and shows a button; {@code POST} with {@code confirm=yes} (what the button sends) publishes a
 * {@code confirm} command. Only a token issued for confirming is accepted: an unsubscribe token is refused here, and
 * a confirm token on the unsubscribe link. Clicks within the click window publish one command between them.
 */
public final class ConfirmRoute implements Route.Handler {

    private static final Logger log = LoggerFactory.getLogger(ConfirmRoute.class);
    static final String FIELD = "confirm";
    static final String VALUE = "yes";

    private final UnsubscribeTokens tokens;
    private final UnsubscribeCommands commands;
    private final OncePerWindow<EmailAddress, Optional<String>> clicks;
    private final UnaryOperator<String> emailMask;
    private final RefusalLog refusals = new RefusalLog("Confirm link");

    private ConfirmRoute(
            UnsubscribeTokens tokens,
            UnsubscribeCommands commands,
            Duration clickWindow,
            UnaryOperator<String> emailMask) {
        this.tokens = tokens;
        this.commands = commands;
        this.clicks = new OncePerWindow<>(
                clickWindow, UnsubscribeRoute.MAX_REMEMBERED_CLICKS, Optional::isPresent, System::nanoTime);
        this.emailMask = emailMask;
    }

    public static Route route(
            UnsubscribeTokens tokens,
            UnsubscribeCommands commands,
            Duration clickWindow,
            RateLimit rateLimit,
            UnaryOperator<String> emailMask) {
        return new Route(
                "confirm",
                UnsubscribeLinks.CONFIRM_PATH,
                Set.of("GET", "HEAD", "POST"),
                UnsubscribeRoute.MAX_BODY_BYTES,
                rateLimit,
                new ConfirmRoute(tokens, commands, clickWindow, emailMask));
    }

    @Override
    public CompletableFuture<Reply> handle(RouteRequest request) {
        Verification verification =
                tokens.verify(UnsubscribeTokens.Purpose.CONFIRM, UnsubscribeRoute.token(request.rawQuery()));
        if (verification instanceof Verification.Refused refused) {
            return refusals.answer(refused, request);
        }
        EmailAddress email = ((Verification.Valid) verification).email();
        if (!request.method().equals("POST")) {
            return CompletableFuture.completedFuture(
                    Reply.html(200, "confirm_page", UnsubscribePages.confirmSubscription(email.value())));
        }
        if (!new String(request.body(), StandardCharsets.UTF_8).strip().equals(FIELD + "=" + VALUE)) {
            return CompletableFuture.completedFuture(Reply.html(
                    400,
                    "not_confirm_form",
                    UnsubscribePages.refused("A POST to this link must carry " + FIELD + "=" + VALUE + ".")));
        }
        OncePerWindow.Run<Optional<String>> click = clicks.run(email, () -> commands.publishConfirm(email));
        return click.result().thenApply(commandId -> {
            if (commandId.isEmpty()) {
                return Reply.html(503, "kafka_unavailable", UnsubscribePages.unavailable())
                        .withHeader("Retry-After", "60");
            }
            if (!click.repeated()) {
                log.info("Confirm link for {}: published {}", emailMask.apply(email.value()), commandId.get());
            }
            return Reply.html(
                    200, click.repeated() ? "repeated" : "published", UnsubscribePages.confirmed(email.value()));
        });
    }
}
