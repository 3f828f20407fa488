package com.example.subscriptions.command;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.Set;

/**
 * Sorts what a Temporal call threw: a refusal of this command that no retry can change, or a condition of the
 * environment (Temporal unreachable, slow, overloaded, not authorising us, its namespace missing), which is retried
 * for as long as it takes.
 */
final class TemporalFailures {

    /** Codes with which Temporal refuses a request for what it holds, not for its own state. */
    private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.OUT_OF_RANGE);

    private TemporalFailures() {}

    /** Why the command can never be applied, or empty when trying again later may succeed. */
    static Optional<String> refusal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof StatusRuntimeException status) {
                Status.Code code = status.getStatus().getCode();
                return REFUSALS.contains(code)
                        ? Optional.of("Temporal refused the command: " + code + ": "
                                + status.getStatus().getDescription())
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
