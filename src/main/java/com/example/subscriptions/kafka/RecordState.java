package com.example.subscriptions.kafka;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one polled record is on its way to being committed. Every record is in exactly one state, and only the poll
 * thread moves it:
 *
 * <pre>
 * QUEUED ──► RUNNING ──► FINISHED
 *              │  ▲
 *              │  └── WAITING_TO_RETRY ◄── (an attempt failed)
 *              └──► DEAD_LETTERING ──► FINISHED   (the work said the record can never succeed)
 *
 * QUEUED, WAITING_TO_RETRY ──► GIVEN_UP            (its partition left this consumer)
 * RUNNING, DEAD_LETTERING ──► ORPHANED ──► GIVEN_UP (it left while an attempt ran on, until that attempt ends)
 * </pre>
 */
enum RecordState {
    /** Polled; waits for the records of its key before it, or for a free slot. */
    QUEUED,
    /** An attempt of its work is in flight. */
    RUNNING,
    /** Its last attempt failed; it runs again once its backoff is over. */
    WAITING_TO_RETRY,
    /** Being copied to the dead letter topic. */
    DEAD_LETTERING,
    /** Handled or dead-lettered: its offset may be committed. */
    FINISHED,
    /**
     * Its partition left this consumer while an attempt was in flight. The attempt's calls may still land, so the
     * records of its key wait here until it ends, whatever it answers; its offset is never committed here.
     */
    ORPHANED,
    /** Left, uncommitted, to its partition's next owner. */
    GIVEN_UP;

    private Set<RecordState> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, DEAD_LETTERING, GIVEN_UP);
            case RUNNING -> EnumSet.of(FINISHED, WAITING_TO_RETRY, DEAD_LETTERING, ORPHANED);
            case WAITING_TO_RETRY -> EnumSet.of(RUNNING, DEAD_LETTERING, GIVEN_UP);
            case DEAD_LETTERING -> EnumSet.of(FINISHED, WAITING_TO_RETRY, ORPHANED);
            case ORPHANED -> EnumSet.of(GIVEN_UP);
            case FINISHED, GIVEN_UP -> EnumSet.noneOf(RecordState.class);
        };
    }

    boolean canMoveTo(RecordState state) {
        return next().contains(state);
    }

    /** The record will never change again here. */
    boolean isFinal() {
        return this == FINISHED || this == GIVEN_UP;
    }
}
