package com.example.subscriptions.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The workflow's input. {@code {"email": "..."}} alone is the tutorial's {@code WorkflowOptions}; the other fields are
 * optional so that the tutorial's client can start our workflow:
 *
 * @param email the subscriber, also the workflow id
 * @param interval ISO-8601 time between emails ({@code PT12S}, {@code P7D}); absent means {@link #DEFAULT_INTERVAL}
 * @param count emails already sent by earlier runs of this subscription (set by continue-as-new)
 * @param emailsPerRun emails one run sends before it continues as new; absent means {@link #DEFAULT_EMAILS_PER_RUN}
 * @param givenUpInARow how many emails in a row the run that continued as new had given up; absent means none
 * @param confirmWithin present: double opt-in. ISO-8601 time the subscriber has to confirm; the run sends only the
 *     confirmation email until then, and ends COMPLETED if the time passes unconfirmed. Absent: today's behaviour
 * @param confirmResendAfter with {@code confirmWithin}: a second subscribe re-sends the confirmation only once this
 *     ISO-8601 time has passed since the last one; absent means {@link #DEFAULT_CONFIRM_RESEND_AFTER}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionInput(
        String email,
        String interval,
        Integer count,
        Integer emailsPerRun,
        Integer givenUpInARow,
        String confirmWithin,
        String confirmResendAfter) {

    public SubscriptionInput(String email, String interval, Integer count, Integer emailsPerRun) {
        this(email, interval, count, emailsPerRun, null, null, null);
    }

    public SubscriptionInput(
            String email, String interval, Integer count, Integer emailsPerRun, Integer givenUpInARow) {
        this(email, interval, count, emailsPerRun, givenUpInARow, null, null);
    }

    public static final Duration DEFAULT_CONFIRM_RESEND_AFTER = Duration.ofHours(1);

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(12);
    /** About 11 history events per email: 500 emails keep a run near 5,500 events, far below Temporal's 50,000. */
    public static final int DEFAULT_EMAILS_PER_RUN = 500;

    public static SubscriptionInput of(String email, Duration interval) {
        return new SubscriptionInput(email, interval.toString(), null, null);
    }

    /** A subscription that waits for its subscriber's confirmation before its welcome. */
    public SubscriptionInput awaitingConfirmation(Duration within, Duration resendAfter) {
        return new SubscriptionInput(
                email, interval, count, emailsPerRun, givenUpInARow, within.toString(), resendAfter.toString());
    }

    /** The interval, or a description of why it is unusable. */
    public static Optional<String> intervalProblem(String interval) {
        return durationProblem("interval", interval);
    }

    /** The first unusable duration of the input, described. */
    Optional<String> problem() {
        return intervalProblem(interval)
                .or(() -> durationProblem("confirmWithin", confirmWithin))
                .or(() -> durationProblem("confirmResendAfter", confirmResendAfter));
    }

    private static Optional<String> durationProblem(String field, String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            Duration parsed = Duration.parse(value);
            return parsed.isNegative() || parsed.isZero()
                    ? Optional.of(field + " must be positive: " + value)
                    : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.of(field + " is not an ISO-8601 duration (e.g. PT12S, P7D): " + value);
        }
    }

    boolean doubleOptIn() {
        return confirmWithin != null;
    }

    Duration confirmWithinDuration() {
        return Duration.parse(confirmWithin);
    }

    Duration confirmResendAfterOrDefault() {
        return confirmResendAfter == null ? DEFAULT_CONFIRM_RESEND_AFTER : Duration.parse(confirmResendAfter);
    }

    Duration intervalOrDefault() {
        return interval == null ? DEFAULT_INTERVAL : Duration.parse(interval);
    }

    int countOrZero() {
        return count == null ? 0 : count;
    }

    int emailsPerRunOrDefault() {
        return emailsPerRun == null || emailsPerRun < 1 ? DEFAULT_EMAILS_PER_RUN : emailsPerRun;
    }

    int givenUpInARowOrZero() {
        return givenUpInARow == null ? 0 : givenUpInARow;
    }

    /**
     * The next run's input; a run with nothing given up writes no field, so inputs stay as they were before it. A run
     * only continues once confirmed, so the next one never asks again.
     */
    SubscriptionInput continuedAfter(int emailsSent, int givenUp) {
        return new SubscriptionInput(
                email, interval, emailsSent, emailsPerRun, givenUp == 0 ? null : givenUp, null, null);
    }
}
