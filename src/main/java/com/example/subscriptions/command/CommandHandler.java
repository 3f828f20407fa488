package com.example.subscriptions.command;

import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.kafka.Disposition;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.kafka.TopicIds;
import com.example.subscriptions.kafka.Work;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns each command record into its Temporal call and its event: one event per record, published before the
 * record counts as done. Bad records get a REJECTED event and go to the dead letter topic.
 */
public final class CommandHandler implements RecordHandler {

    private final CommandParser parser;
    private final Subscriptions subscriptions;
    private final KafkaPublisher publisher;
    private final String eventsTopic;
    private final Clock clock;
    private final Consumer<SubscriptionEvent> onEvent;
    private final TopicIds topicIds;
    /** The command topics' ids, as of the last assignment. */
    private volatile Map<String, String> idsByTopic = Map.of();

    /** @param onEvent told of every published event once its record is finished, on the poll thread (logs, metrics) */
    public CommandHandler(CommandParser parser, Subscriptions subscriptions, KafkaPublisher publisher,
            String eventsTopic, Clock clock, Consumer<SubscriptionEvent> onEvent, TopicIds topicIds) {
        this.parser = parser;
        this.subscriptions = subscriptions;
        this.publisher = publisher;
        this.eventsTopic = eventsTopic;
        this.clock = clock;
        this.onEvent = onEvent;
        this.topicIds = topicIds;
    }

    /** Looks the topic's id up again: an assignment also follows a topic's deletion and re-creation. */
    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        idsByTopic = Map.copyOf(topicIds.idsOf(partitions.stream().map(TopicPartition::topic).distinct().toList()));
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
            CompletionStage<SubscriptionEvent> known = event != null
                    ? CompletableFuture.completedFuture(event)
                    : apply().thenApply(e -> event = e);
            return known.thenCompose(e -> publisher.send(toRecord(e)).thenApply(metadata -> {
                published = true;
                return parsed instanceof ParsedCommand.Rejected rejected
                        ? Disposition.deadLetter(rejected.reason())
                        : Disposition.DONE;
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
                return CompletableFuture.completedFuture(new SubscriptionEvent(rejected.commandId(), rejected.type(),
                        rejected.email(), Outcome.REJECTED, rejected.reason(), clock.instant()));
            }
            Command command = ((ParsedCommand.Valid) parsed).command();
            CommandPosition at = CommandPosition.of(record, idsByTopic.get(record.topic()));
            boolean retry = calledBefore;
            calledBefore = true;
            CompletionStage<Outcome> outcome = command instanceof Command.Subscribe
                    ? subscriptions.subscribe(command.email(), at, retry)
                    : subscriptions.unsubscribe(command.email(), at, retry);
            return outcome.thenApply(o -> new SubscriptionEvent(command.commandId(), command.type(),
                    command.email().value(), o, null, clock.instant()));
        }

        private ProducerRecord<byte[], byte[]> toRecord(SubscriptionEvent e) {
            byte[] key = parsed instanceof ParsedCommand.Valid valid
                    ? Utf8.encode(valid.command().email().value())
                    : record.key();
            return new ProducerRecord<>(eventsTopic, key, Json.toBytes(e));
        }
    }
}
