package com.example.subscriptions.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.subscriptions.workflow.DeliveryFailedException;
import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.RecipientRejectedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MeteredEmailSenderTest {

    private static final EmailDetails EMAIL = new EmailDetails("bob@example.com", EmailDetails.WELCOME, 1, true);
    private static final DeliveryId DELIVERY = new DeliveryId("subscription-bob", "run-1", "7");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private long attempts(String result) {
        return registry.get("subscriptions.email.delivery")
                .tag("result", result)
                .timer()
                .count();
    }

    @Test
    void everyResultHasItsSeriesBeforeTheFirstAttempt() {
        new MeteredEmailSender((details, delivery) -> {}, registry);

        for (String result : new String[] {"sent", "rejected", "refused", "failed"}) {
            assertEquals(0, attempts(result), result);
        }
    }

    @Test
    void eachAttemptCountsUnderItsResultAndTheSendersExceptionPassesUnchanged() {
        MeteredEmailSender sent = new MeteredEmailSender((details, delivery) -> {}, registry);
        sent.send(EMAIL, DELIVERY);
        RecipientRejectedException gone = new RecipientRejectedException("550 5.1.1 no such user");
        MeteredEmailSender rejecting = new MeteredEmailSender(
                (details, delivery) -> {
                    throw gone;
                },
                registry);
        DeliveryFailedException down = new DeliveryFailedException("connection refused");
        MeteredEmailSender failing = new MeteredEmailSender(
                (details, delivery) -> {
                    throw down;
                },
                registry);

        assertEquals(gone, assertThrows(RecipientRejectedException.class, () -> rejecting.send(EMAIL, DELIVERY)));
        assertEquals(down, assertThrows(DeliveryFailedException.class, () -> failing.send(EMAIL, DELIVERY)));

        assertEquals(1, attempts("sent"));
        assertEquals(1, attempts("rejected"));
        assertEquals(0, attempts("refused"));
        assertEquals(1, attempts("failed"));
    }
}
