package com.example.subscriptions.app;

import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.EmailSender;
import com.example.subscriptions.workflow.MessageRefusedException;
import com.example.subscriptions.workflow.RecipientRejectedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Times every delivery attempt by its result. The four series exist from the start at zero, so that an alert on
 * refusals has a series to compare with before the first one.
 */
final class MeteredEmailSender implements EmailSender {

    enum Result {
        /** The server took the email. */
        SENT,
        /** The server refused this address for good. */
        REJECTED,
        /** The server refused this email for good. */
        REFUSED,
        /** Anything else: the server unreachable or answering 4xx; Temporal retries it. */
        FAILED
    }

    private final EmailSender sender;
    private final Map<Result, Timer> timers = new EnumMap<>(Result.class);

    MeteredEmailSender(EmailSender sender, MeterRegistry registry) {
        this.sender = sender;
        for (Result result : Result.values()) {
            timers.put(
                    result,
                    Timer.builder("subscriptions.email.delivery")
                            .description("Email delivery attempts, by result, and how long each took")
                            .tag("result", result.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
    }

    @Override
    public void send(EmailDetails details, DeliveryId delivery) {
        long started = System.nanoTime();
        Result result = Result.FAILED;
        try {
            sender.send(details, delivery);
            result = Result.SENT;
        } catch (RecipientRejectedException e) {
            result = Result.REJECTED;
            throw e;
        } catch (MessageRefusedException e) {
            result = Result.REFUSED;
            throw e;
        } finally {
            timers.get(result).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
