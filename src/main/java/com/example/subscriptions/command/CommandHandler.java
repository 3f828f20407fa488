package com.example.subscriptions.command;

import com.example.subscriptions.core.Futures;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.kafka.Disposition;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.kafka.TopicCatalog;
import com.example.subscriptions.kafka.Work;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns each command record into its Temporal call and its event: one event per record, published before the
 * record counts as done. Bad records, and commands Temporal refuses for what they hold, get a REJECTED event and go to
 * the dead letter topic; every other failure is retried.
 */
public final class CommandHandler implements RecordHandler {

    private final CommandParser parser;
    private final Subscriptions subscriptions;
    private final KafkaPublisher publisher;
    private final String eventsTopic;
    private final Clock clock;
    private final Consumer<SubscriptionEvent> onEvent;
    private final TopicCatalog topics;

    /** @param onEvent told of every published event once its record is finished, on the poll thread (logs, metrics) */
    public CommandHandler(
            CommandParser parser,
            Subscriptions subscriptions,
            KafkaPublisher publisher,
            String eventsTopic,
            Clock clock,
            Consumer<SubscriptionEvent> onEvent,
            TopicCatalog topics) {
        this.parser = parser;
        this.subscriptions = subscriptions;
        this.publisher = publisher;
        this.eventsTopic = eventsTopic;
        this.clock = clock;
        this.onEvent = onEvent;
        this.topics = topics;
    }

    /**
     * Looks the topic's id up again, without waiting for the answer: an assignment also follows a topic's deletion
     * and re-creation. Commands wait for the answer: none is applied with a topic id that is not known.
     */
    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        List<String> assignedTopics =
                partitions.stream().map(TopicPartition::topic).distinct().toList();
        topics.forget(assignedTopics);
        assignedTopics.forEach(topics::describe);
    }

    @Override
    public Work plan(ConsumerRecord<byte[], byte[]> record) {
        return new CommandWork(record, parser.parse(record));
    }

    private final class CommandWork implements Work {

        private final ConsumerRecord<byte[], byte[]> record;
        private final ParsedCommand parsed;
        /** Kept once known, so that a retry after a failed publish does not call Temporal again. */
        private volatile SubscriptionEvent event;

        private volatile boolean published;
        /** Whether an earlier attempt called Temporal: its call may have been applied and its answer lost. */
        private volatile boolean calledBefore;

        CommandWork(ConsumerRecord<byte[], byte[]> record, ParsedCommand parsed) {
            this.record = record;
            this.parsed = parsed;
        }

        @Override
        public Object orderingKey() {
            if (parsed instanceof ParsedCommand.Valid valid) {
                return valid.command().email();
            }
            return Work.ownKey(record);
        }

        @Override
        public CompletionStage<Disposition> attempt() {
            CompletionStage<SubscriptionEvent> known =
                    event != null ? CompletableFuture.completedFuture(event) : apply().thenApply(e -> event = e);
            return known.thenCompose(e -> publisher.send(toRecord(e)).thenApply(metadata -> {
                published = true;
                return e.outcome() == Outcome.REJECTED ? Disposition.deadLetter(e.reason()) : Disposition.DONE;
            }));
        }

        @Override
        public void finished() {
            if (published) {
                onEvent.accept(event);
            }
        }

        private CompletionStage<SubscriptionEvent> apply() {
            if (parsed instanceof ParsedCommand.Rejected rejected) {
                return CompletableFuture.completedFuture(new SubscriptionEvent(
                        rejected.commandId(),
                        rejected.type(),
                        rejected.email(),
                        Outcome.REJECTED,
                        rejected.reason(),
                        clock.instant()));
            }
            Command command = ((ParsedCommand.Valid) parsed).command();
            return topics.describe(record.topic())
                    .thenCompose(topic -> call(command, CommandPosition.of(record, topic.id())))
                    .handle((outcome, error) -> {
                        if (error == null) {
                            return event(command, outcome, null);
                        }
                        Optional<String> refusal = TemporalFailures.refusal(error);
                        if (refusal.isPresent()) {
                            return event(command, Outcome.REJECTED, refusal.get());
                        }
                        throw Futures.passOn(error);
                    });
        }

        private CompletionStage<Outcome> call(Command command, CommandPosition at) {
            boolean retry = calledBefore;
            calledBefore = true;
            return command instanceof Command.Subscribe
                    ? subscriptions.subscribe(command.email(), at, retry)
                    : subscriptions.unsubscribe(command.email(), at, retry);
        }

        private SubscriptionEvent event(Command command, Outcome outcome, String reason) {
            return new SubscriptionEvent(
                    command.commandId(), command.type(), command.email().value(), outcome, reason, clock.instant());
        }

        private ProducerRecord<byte[], byte[]> toRecord(SubscriptionEvent e) {
            byte[] key = parsed instanceof ParsedCommand.Valid valid
                    ? Utf8.encode(valid.command().email().value())
                    : record.key();
            return new ProducerRecord<>(eventsTopic, key, Json.toBytes(e));
        }
    }
}
