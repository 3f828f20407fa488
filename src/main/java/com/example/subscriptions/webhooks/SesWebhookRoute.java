package com.example.subscriptions.webhooks;

import com.example.subscriptions.core.JsonInput;
import com.example.subscriptions.http.RateLimit;
import com.example.subscriptions.http.Reply;
import com.example.subscriptions.http.Route;
import com.example.subscriptions.http.RouteRequest;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/ses}: Amazon SES bounce and complaint notifications, delivered by an SNS HTTPS subscription.
 * A message is read only from an allowed topic and once SNS's signature on it checks out ({@link SnsSignatures}); a
 * SubscriptionConfirmation is then confirmed by fetching its SubscribeURL, and a Notification's reports
 * ({@link SesNotice}) are published as commands with source {@code ses}, answered 200 once Kafka acknowledged them.
 */
public final class SesWebhookRoute implements Route.Handler {

    private static final Logger log = LoggerFactory.getLogger(SesWebhookRoute.class);
    public static final String PATH = "/webhooks/ses";
    /** An SNS message is 256 KiB at most; its envelope and JSON escaping add some. */
    public static final int MAX_BODY_BYTES = 384 * 1024;
    /** What SNS sends; some proxies rewrite it as JSON. */
    private static final Set<String> MEDIA_TYPES = Set.of("text/plain", "application/json");

    private final Set<String> topicArns;
    private final SnsHosts hosts;
    private final SnsSignatures signatures;
    private final UrlFetcher fetcher;
    private final ReportCommands commands;
    private final RefusalLog refusals = new RefusalLog("ses", System::nanoTime);

    SesWebhookRoute(List<String> topicArns, SnsHosts hosts, UrlFetcher fetcher, ReportCommands commands) {
        this.topicArns = Set.copyOf(topicArns);
        this.hosts = hosts;
        this.signatures = new SnsSignatures(hosts, fetcher);
        this.fetcher = fetcher;
        this.commands = commands;
    }

    /**
     * @param topicArns the SNS topics accepted; a message from any other is refused before anything is fetched
     * @param sns where certificates and confirmations may be fetched from ({@link SnsEndpoints#amazon})
     */
    public static Route route(List<String> topicArns, SnsEndpoints sns, ReportCommands commands, RateLimit rateLimit) {
        return new Route(
                "ses-webhook",
                PATH,
                Set.of("POST"),
                MAX_BODY_BYTES,
                rateLimit,
                new SesWebhookRoute(topicArns, sns.hosts(), sns.fetcher(), commands));
    }

    @Override
    public CompletableFuture<Reply> handle(RouteRequest request) {
        String client = request.client().getHostAddress();
        if (!MEDIA_TYPES.contains(Answers.mediaType(request.header("Content-Type")))) {
            return refused(415, "not_json", client);
        }
        if (!(JsonInput.object(request.body(), "an SNS message") instanceof JsonInput.Parsed.Valid json)) {
            return refused(400, "malformed", client);
        }
        SnsMessage message;
        try {
            message = SnsMessage.parse(json.json());
        } catch (SnsMessage.Malformed malformed) {
            return refused(400, "malformed", client);
        }
        Optional<String> typeHeader = request.header("x-amz-sns-message-type");
        if (typeHeader.isPresent() && !typeHeader.get().equals(message.type().wireName)) {
            return refused(400, "malformed", client);
        }
        if (!topicArns.contains(message.topicArn())) {
            return refused(403, "wrong_topic", client);
        }
        return signatures.verify(message, client).thenCompose(verdict -> {
            if (verdict instanceof SnsSignatures.Verdict.Refused refused) {
                return refused(403, refused.problem(), client);
            }
            if (verdict instanceof SnsSignatures.Verdict.Unavailable unavailable) {
                log.warn(
                        "SES webhook: the signing certificate could not be fetched ({}); answered 503",
                        unavailable.why());
                return CompletableFuture.completedFuture(
                        Answers.json(503, "certificate_unavailable").withHeader("Retry-After", "60"));
            }
            return signed(message, client);
        });
    }

    private CompletableFuture<Reply> signed(SnsMessage message, String client) {
        return switch (message.type()) {
            case SUBSCRIPTION_CONFIRMATION -> confirm(message, client);
            case UNSUBSCRIBE_CONFIRMATION -> {
                log.info("SES webhook: SNS unsubscribed this endpoint from {}", message.topicArn());
                yield CompletableFuture.completedFuture(Answers.json(200, "ignored"));
            }
            case NOTIFICATION -> publish(message);
        };
    }

    private CompletableFuture<Reply> confirm(SnsMessage message, String client) {
        Optional<URI> subscribeUrl = SnsHosts.parse(message.subscribeUrl().orElseThrow(), false, hosts);
        if (subscribeUrl.isEmpty()) {
            return refused(403, "subscribe_url_not_sns", client);
        }
        return fetcher.get(subscribeUrl.get()).handle((answer, error) -> {
            if (error != null) {
                log.warn(
                        "SES webhook: confirming the subscription to {} failed: {}",
                        message.topicArn(),
                        error.toString());
                return Answers.json(503, "confirmation_failed").withHeader("Retry-After", "60");
            }
            log.info("SES webhook: confirmed the subscription to {}", message.topicArn());
            return Answers.json(200, "confirmed");
        });
    }

    private CompletableFuture<Reply> publish(SnsMessage message) {
        List<ProviderReport> reports = SesNotice.reports(message.message(), message.messageId());
        if (reports.isEmpty()) {
            return CompletableFuture.completedFuture(Answers.json(200, "ignored"));
        }
        return commands.publish(reports).thenApply(published -> {
            if (!published) {
                log.warn(
                        "SES webhook: Kafka did not acknowledge the reports of SNS message {} within {}; answered 503",
                        message.messageId(),
                        commands.timeout());
                return Answers.unavailable();
            }
            log.info("SES webhook: published {} report(s) of SNS message {}", reports.size(), message.messageId());
            return Answers.json(200, "published");
        });
    }

    private CompletableFuture<Reply> refused(int status, String outcome, String client) {
        refusals.refused(outcome, client);
        return CompletableFuture.completedFuture(Answers.json(status, outcome));
    }
}
