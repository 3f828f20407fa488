package com.example.subscriptions.kafka;

/**
 * When to stop fetching: at a high water mark of records polled and unfinished, and to start again only once they
 * drained to a low one, so that fetching does not toggle with every record that finishes. The consumer is given
 * {@code max.poll.records} of at most {@link #maxPollRecords()}, so one poll after resuming cannot overshoot the
 * high mark.
 */
record FetchThrottle(int lowWater, int highWater) {

    enum Change {
        PAUSE,
        RESUME,
        NONE
    }

    FetchThrottle {
        if (lowWater < 0 || highWater <= lowWater) {
            throw new IllegalArgumentException("need 0 <= low < high, was " + lowWater + " and " + highWater);
        }
    }

    static FetchThrottle forMaxInFlight(int maxInFlight) {
        int high = Math.max(4 * maxInFlight, 256);
        return new FetchThrottle(high / 2, high);
    }

    int maxPollRecords() {
        return highWater - lowWater;
    }

    Change next(int buffered, boolean paused) {
        if (!paused && buffered >= highWater) {
            return Change.PAUSE;
        }
        if (paused && buffered <= lowWater) {
            return Change.RESUME;
        }
        return Change.NONE;
    }
}
