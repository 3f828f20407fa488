package com.example.subscriptions.command;

import com.example.subscriptions.core.Futures;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.kafka.Disposition;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.kafka.Work;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
    private final CommandAppliers appliers;
    private final KafkaPublisher publisher;
    private final String eventsTopic;
    private final Clock clock;
    private final Consumer<SubscriptionEvent> onEvent;
    private final AssignmentGate gate;
    private final Supplier<Executor> continuation;

    /** @param onEvent told of every published event once its record is finished, on the poll thread (logs, metrics) */
    public CommandHandler(
            CommandParser parser,
            CommandAppliers appliers,
            KafkaPublisher publisher,
            String eventsTopic,
            Clock clock,
            Consumer<SubscriptionEvent> onEvent,
            AssignmentGate gate) {
        this(parser, appliers, publisher, eventsTopic, clock, onEvent, gate, () -> Runnable::run);
    }

    /**
     * @param continuation asked at each attempt for where the command continues once its gate opened (on the thread
     *     that opened it): tracing's runs it in the attempt's trace context
     */
    public CommandHandler(
            CommandParser parser,
            CommandAppliers appliers,
            KafkaPublisher publisher,
            String eventsTopic,
            Clock clock,
            Consumer<SubscriptionEvent> onEvent,
            AssignmentGate gate,
            Supplier<Executor> continuation) {
        this.continuation = continuation;
        this.parser = parser;
        this.appliers = appliers;
        this.publisher = publisher;
        this.eventsTopic = eventsTopic;
        this.clock = clock;
        this.onEvent = onEvent;
        this.gate = gate;
    }

    /** Notes what the partitions' commands must wait for ({@link AssignmentGate}), without waiting. */
    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        gate.assigned(partitions);
    }

    @Override
    public Work plan(ConsumerRecord<byte[], byte[]> record) {
        ParsedCommand parsed = parser.parse(record);
        if (parsed instanceof ParsedCommand.Valid valid) {
            Command command = valid.command();
            Optional<CommandApplication> application = appliers.applicationOf(command);
            if (application.isPresent()) {
                return new CommandWork(record, parsed, application.get());
            }
            parsed = new ParsedCommand.Rejected(
                    command.type() + " commands are not applied by this version of the service",
                    command.commandId(),
                    command.type(),
                    command.email().value());
        }
        return new CommandWork(record, parsed, null);
    }

    private final class CommandWork implements Work {

        private final ConsumerRecord<byte[], byte[]> record;
        private final ParsedCommand parsed;
        /** Null for a record that is no valid command. */
        private final CommandApplication application;
        /** Kept once known, so that a retry after a failed publish does not call Temporal again. */
        private volatile SubscriptionEvent event;

        private volatile boolean published;

        CommandWork(ConsumerRecord<byte[], byte[]> record, ParsedCommand parsed, CommandApplication application) {
            this.record = record;
            this.parsed = parsed;
            this.application = application;
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
                        null,
                        rejected.reason(),
                        clock.instant()));
            }
            Command command = ((ParsedCommand.Valid) parsed).command();
            return gate.passed(record)
                    .thenComposeAsync(
                            topic -> application.attempt(CommandPosition.of(record, topic.id())), continuation.get())
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

        private SubscriptionEvent event(Command command, Outcome outcome, String reason) {
            return new SubscriptionEvent(
                    command.commandId(),
                    command.type(),
                    command.email().value(),
                    outcome,
                    command instanceof Command.Suppress suppress
                            ? suppress.source().wireName()
                            : null,
                    reason,
                    clock.instant());
        }

        private ProducerRecord<byte[], byte[]> toRecord(SubscriptionEvent e) {
            byte[] key = parsed instanceof ParsedCommand.Valid valid
                    ? Utf8.encode(valid.command().email().value())
                    : record.key();
            return new ProducerRecord<>(eventsTopic, key, Json.toBytes(e));
        }
    }
}
