package com.example.subscriptions.workflow;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;

public class EmailActivitiesImpl implements EmailActivities {

    private final EmailSender sender;

    public EmailActivitiesImpl(EmailSender sender) {
        this.sender = sender;
    }

    @Override
    public String sendEmail(EmailDetails details) {
        ActivityInfo info = Activity.getExecutionContext().getInfo();
        try {
            sender.send(details, new DeliveryId(info.getWorkflowId(), info.getWorkflowRunId(), info.getActivityId()));
        } catch (RecipientRejectedException e) {
            throw expected(RecipientRejectedException.FAILURE_TYPE, e, true);
        } catch (DeliveryFailedException e) {
            throw expected(DeliveryFailedException.FAILURE_TYPE, e, false);
        }
        return "success";
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
