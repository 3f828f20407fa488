package com.example.subscriptions.kafka;

import com.example.subscriptions.core.Futures;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the attempts of the records that may run, and settles what each attempt answered: done, failed (retried
 * after a backoff), or never to succeed (copied to the dead letter topic). Runs on the poll thread; attempts end on
 * other threads and report through {@link Completions}.
 */
final class WorkRunner {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    private final LoopSettings settings;
    private final RecordBook book;
    private final Completions completions;
    private final KafkaPublisher deadLetterPublisher;
    private final LoopHealth health;
    private final RetryLog retryLog;
    private final AtomicLong deadLettered = new AtomicLong();

    WorkRunner(
            LoopSettings settings,
            RecordBook book,
            Completions completions,
            KafkaPublisher deadLetterPublisher,
            LoopHealth health) {
        this.settings = settings;
        this.book = book;
        this.completions = completions;
        this.deadLetterPublisher = deadLetterPublisher;
        this.health = health;
        this.retryLog = new RetryLog(settings.name(), RetryLog.defaultInterval());
    }

    void launchWhatMayRun() {
        for (Optional<TrackedRecord> next = book.nextToRun(settings.maxInFlight(), System.nanoTime());
                next.isPresent();
                next = book.nextToRun(settings.maxInFlight(), System.nanoTime())) {
            launch(next.get());
        }
    }

    void handleCompletions() {
        for (Completions.Completion next = completions.next(); next != null; next = completions.next()) {
            complete(next);
        }
    }

    void complete(Completions.Completion completion) {
        TrackedRecord record = completion.record();
        if (!book.attemptEnded(record)) {
            return;
        }
        if (completion.error() != null) {
            scheduleRetry(record, completion.error());
        } else if (record.state() == RecordState.DEAD_LETTERING) {
            log.warn(
                    "{}: {} dead-lettered to {}: {}",
                    settings.name(),
                    record,
                    settings.deadLetterTopic(),
                    record.deadLetterReason);
            deadLettered.incrementAndGet();
            finish(record);
        } else if (completion.result() instanceof Disposition.DeadLetter deadLetter) {
            record.deadLetterReason = deadLetter.reason();
            record.failures = 0;
            launch(record);
        } else {
            finish(record);
        }
    }

    long deadLettered() {
        return deadLettered.get();
    }

    long failedAttempts() {
        return retryLog.failedAttempts();
    }

    private void launch(TrackedRecord record) {
        book.attemptStarts(record);
        CompletionStage<?> attempt;
        try {
            attempt = record.state() == RecordState.DEAD_LETTERING ? copyToDeadLetters(record) : record.work.attempt();
            if (attempt == null) {
                attempt = CompletableFuture.failedFuture(new IllegalStateException("attempt() returned null"));
            }
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((result, error) -> completions.add(new Completions.Completion(record, result, error)));
    }

    private CompletionStage<?> copyToDeadLetters(TrackedRecord record) {
        boolean keepHeaders = !(record.lastError instanceof RecordTooLargeException);
        return deadLetterPublisher.send(
                DeadLetters.copy(settings.deadLetterTopic(), record.record, record.deadLetterReason, keepHeaders));
    }

    private void scheduleRetry(TrackedRecord record, Throwable error) {
        record.lastError = Futures.cause(error);
        record.failures++;
        Duration delay = settings.backoff().delay(record.failures);
        long now = System.nanoTime();
        retryLog.failed(record, delay, now);
        book.retryAt(record, now + delay.toNanos());
    }

    private void finish(TrackedRecord record) {
        book.finished(record);
        health.progressed();
        try {
            record.work.finished();
        } catch (RuntimeException e) {
            log.warn("{}: reporting {} as finished failed: {}", settings.name(), record, e.toString());
        }
    }
}
