package com.example.subscriptions.workflow;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

public class SendEmailWorkflowImpl implements SendEmailWorkflow {

    /**
     * Since version 1 a refused address ends the subscription (COMPLETED, details saying why) instead of failing
     * the workflow; before it no email was ever refused for good, so earlier runs never took that path.
     */
    static final String REJECTED_ADDRESS_ENDS = "rejected-address-ends";

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    // ABANDON: with the default cancellation type, a cancel that lands while send_email runs can leave the
    // workflow waiting forever for the activity's cancellation to be confirmed (measured on the SDK's test server).
    private final EmailActivities loopEmails = Workflow.newActivityStub(EmailActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(SEND_TIMEOUT)
                    .setCancellationType(ActivityCancellationType.ABANDON)
                    .build());
    private final EmailActivities goodbyeEmail = Workflow.newActivityStub(EmailActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(SEND_TIMEOUT).build());

    private EmailDetails details = new EmailDetails("", "", 0, false);

    @Override
    public void run(SubscriptionInput input) {
        SubscriptionInput.intervalProblem(input.interval()).ifPresent(problem -> {
            throw ApplicationFailure.newNonRetryableFailure(problem, "InvalidInterval");
        });
        Duration interval = input.intervalOrDefault();
        int emailsPerRun = input.emailsPerRunOrDefault();
        details = EmailDetails.afterEmails(input.email(), input.countOrZero());
        try {
            for (int sentThisRun = 1; ; sentThisRun++) {
                details = details.nextEmail();
                Optional<String> refusal = send(loopEmails);
                if (refusal.isPresent()) {
                    details = details.rejected(refusal.get());
                    return;
                }
                Workflow.sleep(interval);
                if (sentThisRun >= emailsPerRun || Workflow.getInfo().isContinueAsNewSuggested()) {
                    Workflow.continueAsNew(carryingMemo(), input.continuedAfter(details.count()));
                }
            }
        } catch (CanceledFailure | ActivityFailure e) {
            CanceledFailure cancellation = asCancellation(e);
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

    /** Sends the email {@link #details} describe; the server's reply if it refused the address for good. */
    private Optional<String> send(EmailActivities activities) {
        try {
            activities.sendEmail(details);
            return Optional.empty();
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof ApplicationFailure failure
                    && RecipientRejectedException.FAILURE_TYPE.equals(failure.getType())
                    && Workflow.getVersion(REJECTED_ADDRESS_ENDS, Workflow.DEFAULT_VERSION, 1) >= 1) {
                return Optional.of(failure.getOriginalMessage());
            }
            throw e;
        }
    }

    private static ContinueAsNewOptions carryingMemo() {
        String startedBy = (String) Workflow.getMemo(STARTED_BY_MEMO, String.class);
        return startedBy == null
                ? ContinueAsNewOptions.getDefaultInstance()
                : ContinueAsNewOptions.newBuilder().setMemo(Map.of(STARTED_BY_MEMO, startedBy)).build();
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
