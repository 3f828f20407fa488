package com.example.subscriptions.workflow;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
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
            sender.send(details, new DeliveryId(info.getWorkflowId(), info.getRunId(), info.getActivityId()));
        } catch (RecipientRejectedException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), RecipientRejectedException.FAILURE_TYPE);
        }
        return "success";
    }
}
