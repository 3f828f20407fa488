package com.example.subscriptions.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.it.RefusingSmtpServer;
import com.example.subscriptions.it.ServiceFixture;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relay that answers {@code 454 Throttling failure} for a while, then recovers, behind a worker limited to two
 * emails a second: every welcome is delivered once it recovers, no subscription ends, and the relay never receives
 * more than the configured rate (measured from its own accept times).
 */
class ThrottlingRelayIT {

    private static final int SUBSCRIBERS = 8;
    private static final double PER_SECOND = 2;
    private static final String THROTTLING = "454 Throttling failure: Maximum sending rate exceeded.";

    private ServiceFixture fixture;
    private KafkaProbe kafka;
    private RefusingSmtpServer smtp;

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    void everyEmailIsDeliveredOnceTheRelayRecoversAndNeverFasterThanTheRate() {
        smtp = new RefusingSmtpServer(RefusingSmtpServer.Phase.END_OF_DATA, THROTTLING, 4);
        fixture = new ServiceFixture();
        fixture.start(Map.of(
                "roles", "worker,commands",
                "subscription.interval", "PT1H",
                "mail.sender", "smtp",
                "mail.host", "127.0.0.1",
                "mail.port", Integer.toString(smtp.port()),
                "mail.tls", "off",
                "mail.from", "news@example.com",
                "mail.max-per-second", Double.toString(PER_SECOND),
                "mail.max-per-second-per-worker", Double.toString(PER_SECOND),
                "unsubscribe.secret", "throttling-relay-it-secret-0123456789ab"));
        kafka = new KafkaProbe(fixture.topic("events"), fixture.topic("commands"));

        for (int i = 0; i < SUBSCRIBERS; i++) {
            String email = "throttled-" + i + "@example.com";
            kafka.send(
                    fixture.topic("commands"),
                    email,
                    "{\"type\":\"subscribe\",\"email\":\"" + email + "\",\"commandId\":\"t-" + i + "\"}");
        }

        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> smtp.acceptedAtNanos().size() >= SUBSCRIBERS);
        assertEquals(4, smtp.refused(), "the relay throttled, then recovered");
        for (int i = 0; i < SUBSCRIBERS; i++) {
            assertEquals(
                    WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                    fixture.client()
                            .newUntypedWorkflowStub("throttled-" + i + "@example.com")
                            .describe()
                            .getStatus());
        }
        // Temporal's limiter lets a second's worth of permits build up while idle (here: while the relay throttled),
        // so a burst of up to PER_SECOND comes on top of the steady rate: any 2 * PER_SECOND + 1 emails in a row
        // span at least a second (a little less for the relay's own timing).
        List<Long> accepted = smtp.acceptedAtNanos();
        List<Long> offsetsMillis = accepted.stream()
                .map(t -> TimeUnit.NANOSECONDS.toMillis(t - accepted.get(0)))
                .toList();
        int window = (int) (2 * PER_SECOND);
        for (int i = 0; i + window < accepted.size(); i++) {
            long spanMillis = TimeUnit.NANOSECONDS.toMillis(accepted.get(i + window) - accepted.get(i));
            assertTrue(
                    spanMillis >= 900,
                    "emails " + i + " to " + (i + window) + " within " + spanMillis + " ms: " + offsetsMillis);
        }
    }
}
