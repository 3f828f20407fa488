package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules by which a command decides, from its position and the email's latest run, what to do. */
class LatestRunTest {

    private static final LatestRun.Step START = new LatestRun.Start();
    private static final LatestRun.Step CANCEL = new LatestRun.Cancel();

    private static CommandPosition at(long offset) {
        return new CommandPosition("commands", "A", 0, offset);
    }

    private static LatestRun.Step answer(Outcome outcome) {
        return new LatestRun.Answer(outcome);
    }

    /** Open, started by the record at offset 10, no cancel. */
    private static final LatestRun RUNNING =
            new LatestRun("r", "r", true, Optional.of(at(10)), Optional.empty(), LatestRun.Cancellation.NONE);
    /** Started at 10; a real server says a cancel was requested, which the workflow has not seen yet. */
    private static final LatestRun PENDING =
            new LatestRun("r", "r", true, Optional.of(at(10)), Optional.empty(), LatestRun.Cancellation.PENDING);
    /** Started at 10, cancelled by the unsubscribe at 20, still sending its goodbye. */
    private static final LatestRun CANCELLING =
            new LatestRun("r", "r", true, Optional.of(at(10)), Optional.of(at(20)), LatestRun.Cancellation.SEEN);
    /** Started at 10, cancelled at 20, closed. */
    private static final LatestRun CANCELLED =
            new LatestRun("r", "r", false, Optional.of(at(10)), Optional.of(at(20)), LatestRun.Cancellation.SEEN);
    /** Started by another client: no position, no cancel. */
    private static final LatestRun FOREIGN =
            new LatestRun("r", "r", true, Optional.empty(), Optional.empty(), LatestRun.Cancellation.NONE);
    /** Cancelled by another client (a reason that is no position). */
    private static final LatestRun CANCELLED_BY_OTHERS =
            new LatestRun("r", "r", false, Optional.of(at(10)), Optional.empty(), LatestRun.Cancellation.SEEN);

    static Stream<Arguments> subscribes() {
        return Stream.of(
                Arguments.of(
                        "redelivery of the starting record", RUNNING, 10, false, answer(Outcome.ALREADY_SUBSCRIBED)),
                Arguments.of("retry of the starting record", RUNNING, 10, true, answer(Outcome.SUBSCRIBED)),
                Arguments.of("replay of an earlier subscribe", RUNNING, 5, false, answer(Outcome.ALREADY_SUBSCRIBED)),
                Arguments.of("a new duplicate", RUNNING, 15, false, answer(Outcome.ALREADY_SUBSCRIBED)),
                Arguments.of(
                        "replay between start and cancel", CANCELLING, 15, false, answer(Outcome.ALREADY_SUBSCRIBED)),
                Arguments.of("after the cancel, goodbye not sent yet", CANCELLING, 30, false, START),
                Arguments.of(
                        "replay before a closed run's cancel",
                        CANCELLED,
                        15,
                        false,
                        answer(Outcome.ALREADY_SUBSCRIBED)),
                Arguments.of("after a closed run's cancel", CANCELLED, 30, false, START),
                Arguments.of("a run of another client", FOREIGN, 5, false, answer(Outcome.ALREADY_SUBSCRIBED)),
                Arguments.of("after another client's cancel", CANCELLED_BY_OTHERS, 30, false, START),
                Arguments.of("from the topic created again, at a low offset", CANCELLED, -2, false, START),
                Arguments.of("while a cancel is pending", PENDING, 30, false, START));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subscribes")
    void subscribe(String situation, LatestRun run, long offset, boolean retry, LatestRun.Step expected) {
        CommandPosition position = offset == -2 ? new CommandPosition("commands", "B", 0, 1) : at(offset);
        assertEquals(expected, run.subscribe(position, retry));
    }

    static Stream<Arguments> unsubscribes() {
        return Stream.of(
                Arguments.of("a new unsubscribe", RUNNING, 20, false, CANCEL),
                Arguments.of("replay of one before the run started", RUNNING, 5, false, answer(Outcome.NOT_SUBSCRIBED)),
                Arguments.of(
                        "redelivery of the cancelling record", CANCELLED, 20, false, answer(Outcome.NOT_SUBSCRIBED)),
                Arguments.of(
                        "retry of the cancelling record", CANCELLED, 20, true, answer(Outcome.UNSUBSCRIBE_REQUESTED)),
                Arguments.of(
                        "retry while the goodbye is sent", CANCELLING, 20, true, answer(Outcome.UNSUBSCRIBE_REQUESTED)),
                Arguments.of("a second unsubscribe", CANCELLING, 30, false, answer(Outcome.NOT_SUBSCRIBED)),
                Arguments.of(
                        "after another client's cancel",
                        CANCELLED_BY_OTHERS,
                        30,
                        false,
                        answer(Outcome.NOT_SUBSCRIBED)),
                Arguments.of("a run of another client", FOREIGN, 5, false, CANCEL),
                Arguments.of("from another partition", RUNNING, -1, false, CANCEL),
                Arguments.of("from the topic created again, at a low offset", RUNNING, -2, false, CANCEL),
                Arguments.of("while a cancel is pending: ask again and wait", PENDING, 30, false, CANCEL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsubscribes")
    void unsubscribe(String situation, LatestRun run, long offset, boolean retry, LatestRun.Step expected) {
        CommandPosition position = offset == -1
                ? new CommandPosition("commands", "A", 1, 1)
                : offset == -2 ? new CommandPosition("commands", "B", 0, 1) : at(offset);
        assertEquals(expected, run.unsubscribe(position, retry));
    }
}
