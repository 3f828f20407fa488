package com.example.subscriptions.unsubscribe;

import com.example.subscriptions.mail.UnsubscribeLinks;
import com.example.subscriptions.mail.UnsubscribeTokens;
import com.example.subscriptions.mail.UnsubscribeTokens.Verification;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /unsubscribe?token=...}, the link in every email. {@code POST} with the RFC 8058 body publishes an
 * unsubscribe command and answers once Kafka acknowledged it; {@code GET} (what link scanners and browsers do) changes
 * nothing and shows a button that POSTs. A token that is not ours is refused with a 4xx and publishes nothing.
 */
final class UnsubscribeHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeHandler.class);
    /** A one-click body is 26 bytes; anything near this is not one. */
    private static final int MAX_BODY_BYTES = 8 * 1024;

    private final UnsubscribeTokens tokens;
    private final UnsubscribeCommands commands;
    private final UnaryOperator<String> emailMask;

    UnsubscribeHandler(UnsubscribeTokens tokens, UnsubscribeCommands commands, UnaryOperator<String> emailMask) {
        this.tokens = tokens;
        this.commands = commands;
        this.emailMask = emailMask;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(UnsubscribeLinks.PATH)) {
                respond(exchange, 404, UnsubscribePages.refused("There is nothing here."));
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD, POST");
                respond(exchange, 405, UnsubscribePages.refused("Open the link from the email."));
                return;
            }
            Verification verification =
                    tokens.verify(token(exchange.getRequestURI().getRawQuery()));
            if (verification instanceof Verification.Refused refused) {
                log.info(
                        "Unsubscribe link refused ({}): {} {}",
                        refused.problem(),
                        method,
                        exchange.getRemoteAddress().getAddress().getHostAddress());
                respond(
                        exchange,
                        refused.problem() == Verification.Problem.BAD_SIGNATURE ? 403 : 400,
                        UnsubscribePages.refused("This unsubscribe link is not valid: it may have been cut short or"
                                + " changed. Open the link from the email again."));
                return;
            }
            String email = ((Verification.Valid) verification).email().value();
            if (!method.equals("POST")) {
                respond(exchange, 200, UnsubscribePages.confirm(email));
                return;
            }
            post(exchange, (Verification.Valid) verification);
        }
    }

    private void post(HttpExchange exchange, Verification.Valid subscriber) throws IOException {
        Optional<byte[]> body = body(exchange.getRequestBody());
        if (body.isEmpty()) {
            respond(exchange, 413, UnsubscribePages.refused("The request is too large."));
            return;
        }
        if (!OneClickBody.isOneClick(exchange.getRequestHeaders().getFirst("Content-Type"), body.get())) {
            respond(
                    exchange,
                    400,
                    UnsubscribePages.refused("A POST to this link must carry " + OneClickBody.FIELD + "="
                            + OneClickBody.VALUE + " (RFC 8058)."));
            return;
        }
        String email = subscriber.email().value();
        Optional<String> commandId = commands.publish(subscriber.email());
        if (commandId.isEmpty()) {
            log.warn(
                    "Unsubscribe link for {}: Kafka did not acknowledge the command within {}; answered 503",
                    emailMask.apply(email),
                    commands.timeout());
            exchange.getResponseHeaders().set("Retry-After", "60");
            respond(exchange, 503, UnsubscribePages.unavailable());
            return;
        }
        log.info("Unsubscribe link for {}: published {}", emailMask.apply(email), commandId.get());
        respond(exchange, 200, UnsubscribePages.unsubscribed(email));
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

    private static Optional<byte[]> body(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(bytes);
    }

    private static void respond(HttpExchange exchange, int status, String html) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "text/html; charset=utf-8");
        // The token is a credential of sorts: keep it out of caches, Referer headers and other sites' frames.
        headers.set("Cache-Control", "no-store");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
