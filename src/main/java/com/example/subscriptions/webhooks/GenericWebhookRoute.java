package com.example.subscriptions.webhooks;

import com.example.subscriptions.http.RateLimit;
import com.example.subscriptions.http.Reply;
import com.example.subscriptions.http.Route;
import com.example.subscriptions.http.RouteRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/generic}: bounces and complaints from any provider that can sign a JSON body with HMAC (see
 * {@link WebhookSignatures} and {@link GenericReports}). A signed, valid body is published as commands with source
 * {@code webhook} and answered 200 once Kafka acknowledged them all; 503 when it did not, so the provider retries.
 */
public final class GenericWebhookRoute implements Route.Handler {

    private static final Logger log = LoggerFactory.getLogger(GenericWebhookRoute.class);
    public static final String PATH = "/webhooks/generic";
    /** A hundred reports with long diagnostics fit. */
    public static final int MAX_BODY_BYTES = 128 * 1024;

    private final WebhookSignatures signatures;
    private final ReportCommands commands;
    private final RefusalLog refusals = new RefusalLog("generic", System::nanoTime);

    GenericWebhookRoute(WebhookSignatures signatures, ReportCommands commands) {
        this.signatures = signatures;
        this.commands = commands;
    }

    /**
     * @param secrets the keys accepted (more than one while a key is rotated)
     * @param tolerance how far the request's timestamp may be from this host's clock
     */
    public static Route route(
            List<String> secrets, Duration tolerance, Clock clock, ReportCommands commands, RateLimit rateLimit) {
        return new Route(
                "generic-webhook",
                PATH,
                Set.of("POST"),
                MAX_BODY_BYTES,
                rateLimit,
                new GenericWebhookRoute(new WebhookSignatures(secrets, tolerance, clock), commands));
    }

    @Override
    public CompletableFuture<Reply> handle(RouteRequest request) {
        String client = request.client().getHostAddress();
        if (!Answers.mediaType(request.header("Content-Type")).equals("application/json")) {
            return refused(415, "not_json", client);
        }
        Optional<WebhookSignatures.Problem> problem = signatures.check(
                request.header(WebhookSignatures.TIMESTAMP_HEADER),
                request.header(WebhookSignatures.SIGNATURE_HEADER),
                request.body());
        if (problem.isPresent()) {
            return refused(
                    problem.get() == WebhookSignatures.Problem.UNSIGNED ? 401 : 403,
                    problem.get().outcome(),
                    client);
        }
        List<ProviderReport> reports;
        try {
            reports = GenericReports.parse(request.body());
        } catch (GenericReports.Invalid invalid) {
            refusals.refused("malformed: " + invalid.getMessage(), client);
            return CompletableFuture.completedFuture(Answers.json(400, "malformed"));
        }
        return commands.publish(reports).thenApply(published -> {
            if (!published) {
                log.warn(
                        "Generic webhook: Kafka did not acknowledge {} report(s) within {}; answered 503",
                        reports.size(),
                        commands.timeout());
                return Answers.unavailable();
            }
            log.info(
                    "Generic webhook: published {} report(s), the first {}",
                    reports.size(),
                    reports.get(0).commandId());
            return Answers.json(200, "published");
        });
    }

    private CompletableFuture<Reply> refused(int status, String outcome, String client) {
        refusals.refused(outcome, client);
        return CompletableFuture.completedFuture(Answers.json(status, outcome));
    }
}
