package com.example.subscriptions.faults;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.it.ServiceFixture;
import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.EmailSender;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A mailer that fails or hangs: Temporal retries the email; the command consumer does not notice. */
class FailingEmailIT {

    /** Fails the first two attempts of every email; hangs past the 10 s start-to-close once for one address. */
    private static final class FlakyMailer implements EmailSender {
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
        final String slowEmail;
        final CountDownLatch never = new CountDownLatch(1);

        FlakyMailer(String slowEmail) {
            this.slowEmail = slowEmail;
        }

        @Override
        public void send(EmailDetails details, DeliveryId delivery) {
            int attempt = attempts.computeIfAbsent(details.email(), e -> new AtomicInteger())
                    .incrementAndGet();
            if (details.email().equals(slowEmail)) {
                if (attempt == 1) {
                    try {
                        never.await(12, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("mail server hung");
                }
            } else if (attempt <= 2) {
                throw new IllegalStateException("mail server refused attempt " + attempt);
            }
            delivered.computeIfAbsent(details.email(), e -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Test
    void failingAndHangingEmailsAreRetriedByTemporalWhileCommandsKeepFlowing() {
        try (ServiceFixture fixture = new ServiceFixture()) {
            String slow = "slow-" + fixture.suffix + "@example.com";
            FlakyMailer mailer = new FlakyMailer(slow);
            fixture.start(Map.of("roles", "worker,commands", "subscription.interval", "PT1H"), mailer);
            List<String> emails = IntStream.range(0, 20)
                    .mapToObj(i -> "flaky-" + fixture.suffix + "-" + i + "@example.com")
                    .toList();
            try (KafkaProbe kafka = new KafkaProbe(fixture.topic("events"))) {
                kafka.send(fixture.topic("commands"), slow, "{\"type\":\"subscribe\",\"email\":\"" + slow + "\"}");
                emails.forEach(email -> kafka.send(
                        fixture.topic("commands"), email, "{\"type\":\"subscribe\",\"email\":\"" + email + "\"}"));

                // The consumer is not held up by the mailer: every command gets its outcome at once.
                for (String email : emails) {
                    assertEquals(
                            "SUBSCRIBED",
                            json(kafka.await(jsonField(fixture.topic("events"), "email", email)))
                                    .get("outcome")
                                    .asText());
                }
                assertTrue(
                        mailer.delivered.isEmpty() || mailer.delivered.size() < emails.size() + 1,
                        "outcomes came before the retried emails were all delivered");

                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> mailer.delivered.size() == emails.size() + 1);
            }
            for (String email : emails) {
                assertEquals(3, mailer.attempts.get(email).get(), "two failures, then success: " + email);
                assertEquals(1, mailer.delivered.get(email).get(), email);
                assertEquals(
                        1,
                        fixture.client()
                                .newWorkflowStub(SendEmailWorkflow.class, email)
                                .details()
                                .count());
            }
            assertEquals(2, mailer.attempts.get(slow).get(), "timed out once, then delivered");
            assertEquals(1, mailer.delivered.get(slow).get());
        }
    }
}
