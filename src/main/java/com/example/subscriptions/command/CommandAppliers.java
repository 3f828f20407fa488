package com.example.subscriptions.command;

import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.suppression.SuppressionList;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** How each kind of command is applied: one {@link CommandApplication} class per kind, listed here. */
public final class CommandAppliers {

    private final Map<Class<? extends Command>, Function<Command, CommandApplication>> byKind;

    private CommandAppliers(Map<Class<? extends Command>, Function<Command, CommandApplication>> byKind) {
        this.byKind = Map.copyOf(byKind);
    }

    /** Every kind, with the tutorial's workflow ids (the email). */
    public static CommandAppliers of(Subscriptions subscriptions, SuppressionList suppressions, Clock clock) {
        return of(subscriptions, suppressions, SubscriberIds.plain(), clock);
    }

    /**
     * Every kind, applied to subscriptions in Temporal and to the suppression list, which is keyed by the same
     * workflow ids as the subscriptions.
     */
    public static CommandAppliers of(
            Subscriptions subscriptions, SuppressionList suppressions, SubscriberIds ids, Clock clock) {
        return new Builder()
                .on(
                        Command.Subscribe.class,
                        command -> new SubscribeApplication(command, subscriptions, suppressions, ids))
                .on(Command.Unsubscribe.class, command -> new UnsubscribeApplication(command, subscriptions))
                .on(Command.Confirm.class, command -> new ConfirmApplication(command, subscriptions))
                .on(
                        Command.Suppress.class,
                        command -> new SuppressApplication(command, subscriptions, suppressions, ids, clock))
                .on(Command.Unsuppress.class, command -> new UnsuppressApplication(command, suppressions, ids))
                .on(Command.Erase.class, command -> new EraseApplication(command, subscriptions))
                .build();
    }

    /** The application of one record, which its every attempt goes to; empty for a kind this service cannot apply. */
    Optional<CommandApplication> applicationOf(Command command) {
        return Optional.ofNullable(byKind.get(command.getClass())).map(applier -> applier.apply(command));
    }

    private static final class Builder {
        private final Map<Class<? extends Command>, Function<Command, CommandApplication>> byKind =
                new LinkedHashMap<>();

        <C extends Command> Builder on(Class<C> kind, Function<C, CommandApplication> applier) {
            byKind.put(kind, command -> applier.apply(kind.cast(command)));
            return this;
        }

        CommandAppliers build() {
            return new CommandAppliers(byKind);
        }
    }
}
