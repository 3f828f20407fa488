package com.example.subscriptions.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Kafka poll loop: at-least-once, ordered per key, concurrent across keys. It polls, commits, pauses and
 * answers rebalances ({@link Rebalances}, {@link PartitionDrain}); which record may run and how far a commit may go is
 * its {@link RecordBook}'s to say, attempts run through its {@link WorkRunner} and report back through
 * {@link Completions}, which wake the poll.
 *
 * <ul>
 *   <li>Every record becomes {@link Work} through the {@link RecordHandler}; up to {@code maxInFlight} attempts run
 *       at once, one per ordering key, in offset order.</li>
 *   <li>A failed attempt is retried with backoff for as long as it takes; its key waits, the others go on. A record
 *       that can never succeed is the work's to recognise: it answers {@link Disposition.DeadLetter}.</li>
 *   <li>Offsets are committed only up to the first unfinished record of their partition.</li>
 *   <li>On revocation and shutdown, running attempts are waited for (bounded) and what finished is committed; the
 *       rest is left to the next owner, and the key of an attempt still running waits behind it in this process.</li>
 *   <li>An error of the consumer is outlived or ends the loop, as {@link ConsumerErrors} sorts it.</li>
 * </ul>
 */
public final class ConsumerLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    /** Longest wait in poll when nothing is due: the group's heartbeats do not depend on it. */
    private static final long IDLE_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final long COMMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LoopSettings settings;
    private final Consumer<byte[], byte[]> consumer;
    private final RecordHandler handler;
    private final FetchThrottle throttle;
    private final RecordBook book = new RecordBook();
    private final Completions completions;
    private final LoopHealth health;
    private final WorkRunner runner;
    private final PartitionDrain drain;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private boolean paused;
    private long lastCommitNanos;
    private int pollFailures;
    /** After a consumer error, when polling may be tried again ({@link System#nanoTime()}). */
    private long pollAgainAtNanos;

    public ConsumerLoop(
            LoopSettings settings,
            Consumer<byte[], byte[]> consumer,
            KafkaPublisher deadLetterPublisher,
            RecordHandler handler) {
        this.settings = settings;
        this.consumer = consumer;
        this.handler = handler;
        this.throttle = settings.throttle();
        this.completions = new Completions(consumer);
        this.health = new LoopHealth(settings.stallTimeout());
        this.runner = new WorkRunner(settings, book, completions, deadLetterPublisher, health);
        this.drain = new PartitionDrain(settings, consumer, book, completions, runner);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(
                    List.of(settings.topic()),
                    new Rebalances(settings.name(), consumer, handler, health, completions, drain, () -> paused));
            while (!stopRequested) {
                runner.handleCompletions();
                if (!stopRequested) {
                    // Once a stop is asked for, what waits is left to the next owner, whatever finished meanwhile.
                    runner.launchWhatMayRun();
                }
                commitIfDue();
                throttle();
                health.looked(book.owned(), book.oldestPolledAtNanos());
                poll().forEach(this::accept);
            }
            drain.drain(book.partitions(), true);
            log.info("{}: stopped, offsets committed", settings.name());
        } catch (FatalConsumerError e) {
            health.failed(e.getCause());
            log.error(
                    "{}: the consumer cannot go on: {}",
                    settings.name(),
                    e.getCause().toString());
            book.giveUpWaiting(book.partitions());
            book.orphanRunningAndRelease(book.partitions());
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } finally {
                finished.countDown();
            }
        }
    }

    /** Asks the loop to finish running work, commit and close; returns at once. */
    public void stop() {
        stopRequested = true;
        completions.wakeUpPoll();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Membership, progress and the error that ended the loop, for health checks and metrics. */
    public LoopHealth health() {
        return health;
    }

    /** Records copied to the dead letter topic since the start. */
    public long deadLettered() {
        return runner.deadLettered();
    }

    /** Attempts that failed and were scheduled again, since the start. */
    public long failedAttempts() {
        return runner.failedAttempts();
    }

    /** Waits in poll until records come, an attempt reports back, a retry or a commit is due, or a second passed. */
    private ConsumerRecords<byte[], byte[]> poll() {
        long now = System.nanoTime();
        long wait = IDLE_POLL_NANOS;
        if (book.nextRetryDueNanos().isPresent()) {
            wait = Math.min(wait, book.nextRetryDueNanos().getAsLong() - now);
        }
        if (book.hasUncommitted()) {
            wait = Math.min(wait, lastCommitNanos + COMMIT_EVERY_NANOS - now);
        }
        if (pollAgainAtNanos - now > 0) {
            // Backing off after a consumer error: the loop goes on handling, starting and committing work meanwhile.
            awaitCompletion(Math.min(wait, pollAgainAtNanos - now));
            return ConsumerRecords.empty();
        }
        try {
            if (!completions.enteringPoll() || stopRequested) {
                return ConsumerRecords.empty();
            }
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofNanos(Math.max(0, wait)));
            pollFailures = 0;
            return records;
        } catch (WakeupException e) {
            return ConsumerRecords.empty();
        } catch (InterruptException e) {
            stopRequested = true;
            return ConsumerRecords.empty();
        } catch (KafkaException e) {
            backOff(e);
            return ConsumerRecords.empty();
        } finally {
            completions.leftPoll();
        }
    }

    /** Schedules the next poll after a consumer error a later poll may not meet again; or gives up. */
    private void backOff(KafkaException error) {
        if (!ConsumerErrors.isOutlived(error)) {
            throw new FatalConsumerError(error);
        }
        pollFailures++;
        Duration backoff = settings.backoff().delay(pollFailures);
        if (pollFailures == 1 || pollFailures % 10 == 0) {
            log.warn(
                    "{}: polling failed ({} in a row), trying again in {} ms: {}",
                    settings.name(),
                    pollFailures,
                    backoff.toMillis(),
                    error.toString());
        }
        pollAgainAtNanos = System.nanoTime() + backoff.toNanos();
    }

    private void awaitCompletion(long timeoutNanos) {
        try {
            Optional.ofNullable(completions.next(Math.max(0, timeoutNanos))).ifPresent(runner::complete);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        Work work;
        try {
            work = handler.plan(record);
        } catch (RuntimeException e) {
            log.error(
                    "{}: handler could not plan {}-{}@{}; dead-lettering it",
                    settings.name(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e);
            work = Work.deadLetter(record, "handler failed: " + e);
        }
        book.polled(new TrackedRecord(record, work, System.nanoTime()));
    }

    private void commitIfDue() {
        long now = System.nanoTime();
        if (now - lastCommitNanos < COMMIT_EVERY_NANOS) {
            return;
        }
        lastCommitNanos = now;
        Map<TopicPartition, OffsetAndMetadata> committable = book.takeCommittable();
        if (!committable.isEmpty()) {
            consumer.commitAsync(committable, (committed, error) -> {
                if (error != null) {
                    log.warn("{}: commit failed, will retry: {}", settings.name(), error.toString());
                    book.commitFailed(committed.keySet());
                }
            });
        }
    }

    private void throttle() {
        switch (throttle.next(book.owned(), paused)) {
            case PAUSE -> {
                consumer.pause(consumer.assignment());
                paused = true;
            }
            case RESUME -> {
                consumer.resume(consumer.paused());
                paused = false;
            }
            case NONE -> {}
        }
    }
}
