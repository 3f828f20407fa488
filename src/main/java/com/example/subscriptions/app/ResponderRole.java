package com.example.subscriptions.app;

import com.example.subscriptions.config.DetailsSettings;
import com.example.subscriptions.status.DetailsHandler;
import com.example.subscriptions.status.DetailsReply;
import com.example.subscriptions.status.DetailsRequestParser;
import com.example.subscriptions.status.TemporalSubscriptionLookup;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The responder role: answers {@code subscription-details-requests} with the workflows' {@code details} query. */
final class ResponderRole {

    private static final Logger log = LoggerFactory.getLogger(ResponderRole.class);

    private ResponderRole() {}

    static void start(Wiring wiring) {
        DetailsSettings details = wiring.settings.details();
        ExecutorService queries = wiring.boundedPool("temporal-queries", details.maxInFlight());
        TemporalSubscriptionLookup lookup = new TemporalSubscriptionLookup(
                wiring.temporal.client(),
                wiring.subscriberIds,
                details.queryTimeout(),
                wiring.tracing.propagating(queries));
        DetailsHandler handler = new DetailsHandler(
                new DetailsRequestParser(wiring.settings.topics().detailsReplies()),
                lookup,
                wiring.kafka().publisher(),
                wiring.kafka().topicCatalog(),
                Clock.systemUTC(),
                new Observer(wiring));
        wiring.startConsumer(
                "responder",
                wiring.settings.topics().detailsRequests(),
                wiring.settings.topics().detailsRequestsDeadLetter(),
                details.groupId(),
                details.maxInFlight(),
                handler);
    }

    /** Logs and counts every reply and every request dropped for its deadline. */
    private record Observer(Wiring wiring) implements DetailsHandler.Observer {

        @Override
        public void replied(DetailsReply reply, Duration latency) {
            wiring.metrics.detailsReply(reply, latency);
            log.info(
                    "details {}: {} in {} ms",
                    wiring.emailMask.apply(reply.email()),
                    reply.status(),
                    latency.toMillis());
        }

        @Override
        public void expired(ConsumerRecord<byte[], byte[]> request) {
            wiring.metrics.detailsExpired();
            log.info(
                    "details request {}-{}@{} dropped: its deadline had passed",
                    request.topic(),
                    request.partition(),
                    request.offset());
        }
    }
}
