package com.example.subscriptions.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.subscriptions.config.Settings;
import io.temporal.worker.WorkerOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The send rate settings become Temporal's activity rate limits of the worker (send_email is its only activity). */
class SendRateTest {

    @Test
    void withoutASettingTheWorkerHasNoRateLimit() {
        WorkerOptions options = WorkerRole.workerOptions(Settings.of(Map.of()).mail());

        assertEquals(0.0, options.getMaxTaskQueueActivitiesPerSecond());
        assertEquals(0.0, options.getMaxWorkerActivitiesPerSecond());
        assertEquals(false, options.isEagerExecutionDisabled());
    }

    @Test
    void theSettingsBecomeTheTaskQueueAndThePerWorkerActivityRates() {
        WorkerOptions options = WorkerRole.workerOptions(
                Settings.of(Map.of("mail.max-per-second", "14", "mail.max-per-second-per-worker", "5"))
                        .mail());

        assertEquals(14.0, options.getMaxTaskQueueActivitiesPerSecond());
        assertEquals(5.0, options.getMaxWorkerActivitiesPerSecond());
        assertEquals(true, options.isEagerExecutionDisabled(), "eager activities would bypass both limits");
    }
}
