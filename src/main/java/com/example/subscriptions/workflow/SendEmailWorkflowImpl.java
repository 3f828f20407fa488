package com.example.subscriptions.workflow;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public class SendEmailWorkflowImpl implements SendEmailWorkflow {

    /**
     * Since version 1 a refused address ends the subscription (COMPLETED, details saying why) instead of failing
     * the workflow; before it no email was ever refused for good, so earlier runs never took that path.
     */
    static final String REJECTED_ADDRESS_ENDS = "rejected-address-ends";
    /**
     * Since version 1 the wait between emails is a timer that a cancellation never cancels: the workflow stops waiting
     * for it instead. A CancelTimer command for a timer that fired while the workflow task ran is refused by the
     * SDK's test server (the dev stack's Temporal), which then never retries the task: the subscription stayed
     * RUNNING after its goodbye. Without the command there is no race; a real server is indifferent to it.
     */
    static final String TIMER_OUTLIVES_CANCEL = "timer-outlives-cancel";
    /**
     * Since version 1 a cancelled run writes the cancellation's reason into its memo ({@link #CANCELLED_BY_MEMO})
     * before its goodbye, so that describing the run tells a command who cancelled it, without reading its history.
     */
    static final String CANCELLED_BY_IN_MEMO = "cancelled-by-in-memo";
    /**
     * Since version 1 a cancel whose reason names a bounce or a complaint ends the run without the goodbye email; before
     * it nobody cancelled with such a reason, so earlier runs never took that path.
     */
    static final String SUPPRESSION_SKIPS_GOODBYE = "suppression-skips-goodbye";
    /**
     * Since version 1 an email the server refused for good on every attempt is skipped, and the subscription goes on
     * (ending after {@link #GIVE_UPS_END_SUBSCRIPTION} in a row); before it no activity gave an email up, so earlier runs
     * never took that path.
     */
    static final String GIVEN_UP_EMAIL_SKIPPED = "given-up-email-skipped";
    /**
     * Since version 1 a run whose input asks for double opt-in ({@code confirmWithin}) sends only a confirmation email
     * and waits for the confirm signal before its welcome. Asked only when the input asks for it, so a run without it
     * records no marker and replays as before.
     */
    static final String DOUBLE_OPT_IN = "double-opt-in";

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    // ABANDON: with the default cancellation type, a cancel that lands while send_email runs can leave the
    // workflow waiting forever for the activity's cancellation to be confirmed (measured on the SDK's test server).
    private final EmailActivities loopEmails = Workflow.newActivityStub(
            EmailActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(SEND_TIMEOUT)
                    .setCancellationType(ActivityCancellationType.ABANDON)
                    .build());
    private final EmailActivities goodbyeEmail = Workflow.newActivityStub(
            EmailActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(SEND_TIMEOUT).build());

    private EmailDetails details = new EmailDetails("", "", 0, false);
    /** Set by the confirm signal: who confirmed. */
    private String confirmedBy;

    private boolean resendRequested;
    private boolean pending;

    @Override
    public void run(SubscriptionInput input) {
        input.problem().ifPresent(problem -> {
            throw ApplicationFailure.newNonRetryableFailure(problem, "InvalidInterval");
        });
        Duration interval = input.intervalOrDefault();
        int emailsPerRun = input.emailsPerRunOrDefault();
        boolean uncancelledTimers = Workflow.getVersion(TIMER_OUTLIVES_CANCEL, Workflow.DEFAULT_VERSION, 1) >= 1;
        details = EmailDetails.afterEmails(input.email(), input.countOrZero());
        int givenUpInARow = input.givenUpInARowOrZero();
        try {
            if (input.doubleOptIn() && Workflow.getVersion(DOUBLE_OPT_IN, Workflow.DEFAULT_VERSION, 1) >= 1) {
                pending = true;
                Optional<EmailDetails> unconfirmed = awaitConfirmation(input);
                pending = false;
                if (unconfirmed.isPresent()) {
                    details = unconfirmed.get();
                    return;
                }
                Workflow.upsertMemo(Map.of(CONFIRMED_BY_MEMO, confirmedBy));
                details = EmailDetails.afterEmails(input.email(), input.countOrZero());
            }
            for (int sentThisRun = 1; ; sentThisRun++) {
                details = details.nextEmail();
                Sent sent = send(loopEmails);
                if (sent instanceof Sent.AddressRefused refused) {
                    details = details.rejected(refused.reply());
                    return;
                }
                if (sent instanceof Sent.GivenUp givenUp) {
                    givenUpInARow++;
                    if (givenUpInARow >= GIVE_UPS_END_SUBSCRIPTION) {
                        details = details.givenUpInARow(givenUpInARow, givenUp.reply());
                        return;
                    }
                    details = details.givenUp();
                } else {
                    givenUpInARow = 0;
                }
                sleep(interval, uncancelledTimers);
                if (sentThisRun >= emailsPerRun || Workflow.getInfo().isContinueAsNewSuggested()) {
                    Workflow.continueAsNew(carryingMemo(), input.continuedAfter(details.count(), givenUpInARow));
                }
            }
        } catch (CanceledFailure | ActivityFailure e) {
            CanceledFailure cancellation = asCancellation(e);
            String reason = CancellationScope.current().getCancellationReason();
            if (Workflow.getVersion(CANCELLED_BY_IN_MEMO, Workflow.DEFAULT_VERSION, 1) >= 1) {
                Workflow.upsertMemo(Map.of(CANCELLED_BY_MEMO, reason == null ? "" : reason));
            }
            Optional<String> suppressed = suppressionMessage(reason);
            if (suppressed.isPresent()
                    && Workflow.getVersion(SUPPRESSION_SKIPS_GOODBYE, Workflow.DEFAULT_VERSION, 1) >= 1) {
                details = details.suppressed(suppressed.get());
                throw cancellation;
            }
            if (pending) {
                // Never confirmed: the subscriber gets nothing more, not even a goodbye.
                details = details.endedUnconfirmed(EmailDetails.CANCELLED_UNCONFIRMED);
                throw cancellation;
            }
            details = details.unsubscribed();
            // Detached, so that the cancellation that brought us here cannot cancel the goodbye email too. A refused
            // goodbye changes nothing: the subscription ends CANCELED all the same.
            Workflow.newDetachedCancellationScope(() -> send(goodbyeEmail)).run();
            throw cancellation;
        }
    }

    @Override
    public EmailDetails details() {
        return details;
    }

    @Override
    public void confirm(String by) {
        if (confirmedBy == null) {
            confirmedBy = by == null ? "" : by;
        }
    }

    @Override
    public void resendConfirmation() {
        resendRequested = true;
    }

    /**
     * Sends the confirmation email and waits for the confirm signal, re-sending on request at most once per resend
     * period; empty once confirmed, else the details the unconfirmed run ends with. The deadline is a timer no
     * cancellation cancels, for the reason {@link #TIMER_OUTLIVES_CANCEL} gives.
     */
    private Optional<EmailDetails> awaitConfirmation(SubscriptionInput input) {
        details = EmailDetails.awaitingConfirmation(input.email());
        List<Promise<Void>> expiry = new ArrayList<>(1);
        Workflow.newDetachedCancellationScope(() -> expiry.add(Workflow.newTimer(input.confirmWithinDuration())))
                .run();
        long resendAfterMillis = input.confirmResendAfterOrDefault().toMillis();
        while (true) {
            if (confirmedBy == null && send(loopEmails) instanceof Sent.AddressRefused refused) {
                return Optional.of(details.endedUnconfirmed(EmailDetails.REJECTED + refused.reply()));
            }
            long sentAt = Workflow.currentTimeMillis();
            while (true) {
                Workflow.await(() -> confirmedBy != null || expiry.get(0).isCompleted() || resendRequested);
                if (confirmedBy != null) {
                    return Optional.empty();
                }
                if (expiry.get(0).isCompleted()) {
                    return Optional.of(details.endedUnconfirmed(EmailDetails.NOT_CONFIRMED));
                }
                resendRequested = false;
                if (Workflow.currentTimeMillis() - sentAt >= resendAfterMillis) {
                    break;
                }
            }
        }
    }

    /** Waits the interval; a cancellation ends the wait with a {@link CanceledFailure}. */
    private static void sleep(Duration interval, boolean timerOutlivesCancel) {
        if (!timerOutlivesCancel) {
            Workflow.sleep(interval);
            return;
        }
        List<Promise<Void>> timer = new ArrayList<>(1);
        Workflow.newDetachedCancellationScope(() -> timer.add(Workflow.newTimer(interval)))
                .run();
        Workflow.await(timer.get(0)::isCompleted);
    }

    /** How sending one email ended, short of a cancellation. */
    private sealed interface Sent {
        record Delivered() implements Sent {}

        /** The server refused the address for good. */
        record AddressRefused(String reply) implements Sent {}

        /** The server refused this email for good on every attempt. */
        record GivenUp(String reply) implements Sent {}
    }

    /** Sends the email {@link #details} describe. */
    private Sent send(EmailActivities activities) {
        try {
            activities.sendEmail(details);
            return new Sent.Delivered();
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof ApplicationFailure failure) {
                if (RecipientRejectedException.FAILURE_TYPE.equals(failure.getType())
                        && Workflow.getVersion(REJECTED_ADDRESS_ENDS, Workflow.DEFAULT_VERSION, 1) >= 1) {
                    return new Sent.AddressRefused(failure.getOriginalMessage());
                }
                if (EMAIL_GIVEN_UP.equals(failure.getType())
                        && Workflow.getVersion(GIVEN_UP_EMAIL_SKIPPED, Workflow.DEFAULT_VERSION, 1) >= 1) {
                    return new Sent.GivenUp(failure.getOriginalMessage());
                }
            }
            throw e;
        }
    }

    /** The details' message when the cancel's reason names a bounce or a complaint. */
    private static Optional<String> suppressionMessage(String reason) {
        String firstWord = reason == null ? "" : reason.split(" ", 2)[0];
        return switch (firstWord) {
            case BOUNCE_CANCEL -> Optional.of(EmailDetails.BOUNCED);
            case COMPLAINT_CANCEL -> Optional.of(EmailDetails.COMPLAINED);
            default -> Optional.empty();
        };
    }

    private static ContinueAsNewOptions carryingMemo() {
        String startedBy = (String) Workflow.getMemo(STARTED_BY_MEMO, String.class);
        return startedBy == null
                ? ContinueAsNewOptions.getDefaultInstance()
                : ContinueAsNewOptions.newBuilder()
                        .setMemo(Map.of(STARTED_BY_MEMO, startedBy))
                        .build();
    }

    private static CanceledFailure asCancellation(RuntimeException e) {
        if (e instanceof CanceledFailure canceled) {
            return canceled;
        }
        if (e.getCause() instanceof CanceledFailure canceled) {
            return canceled;
        }
        throw e;
    }
}
