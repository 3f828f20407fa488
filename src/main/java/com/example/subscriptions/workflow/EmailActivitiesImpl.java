package com.example.subscriptions.workflow;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;

public class EmailActivitiesImpl implements EmailActivities {

    /**
     * An email the server refuses for good is given up on the attempt that reaches this number (attempts that failed
     * for other reasons count too): with Temporal's default backoff, about 15 s after the first.
     */
    public static final int GIVE_UP_AFTER_ATTEMPTS = 5;

    private final EmailSender sender;
    private final DeliveryReports reports;

    public EmailActivitiesImpl(EmailSender sender) {
        this(sender, DeliveryReports.NONE);
    }

    public EmailActivitiesImpl(EmailSender sender, DeliveryReports reports) {
        this.sender = sender;
        this.reports = reports;
    }

    @Override
    public String sendEmail(EmailDetails details) {
        ActivityInfo info = Activity.getExecutionContext().getInfo();
        DeliveryId delivery = new DeliveryId(info.getWorkflowId(), info.getWorkflowRunId(), info.getActivityId());
        try {
            sender.send(details, delivery);
        } catch (RecipientRejectedException e) {
            report(() -> reports.addressGone(details, e.getMessage(), delivery));
            throw expected(RecipientRejectedException.FAILURE_TYPE, e, true);
        } catch (MessageRefusedException e) {
            if (info.getAttempt() < GIVE_UP_AFTER_ATTEMPTS) {
                throw expected(MessageRefusedException.FAILURE_TYPE, e, false);
            }
            report(() -> reports.emailGivenUp(details, e.getMessage(), delivery, info.getAttempt()));
            throw expected(SendEmailWorkflow.EMAIL_GIVEN_UP, e, true);
        } catch (DeliveryFailedException e) {
            if (e.throttled()) {
                reports.throttled();
            }
            throw expected(DeliveryFailedException.FAILURE_TYPE, e, false);
        }
        return "success";
    }

    /** A report that cannot be recorded fails the attempt, so that Temporal retries it, report and all. */
    private static void report(Runnable report) {
        try {
            report.run();
        } catch (RuntimeException e) {
            throw expected(
                    DeliveryFailedException.FAILURE_TYPE,
                    new DeliveryFailedException("the server's refusal could not be reported: " + e.getMessage()),
                    false);
        }
    }

    /**
     * Benign: the sender has logged the outcome in one line; the SDK logs any other activity failure at WARN with a
     * stack trace, on every attempt.
     */
    private static ApplicationFailure expected(String type, RuntimeException outcome, boolean nonRetryable) {
        return ApplicationFailure.newBuilder()
                .setType(type)
                .setMessage(outcome.getMessage())
                .setNonRetryable(nonRetryable)
                .setCategory(ApplicationErrorCategory.BENIGN)
                .build();
    }
}
