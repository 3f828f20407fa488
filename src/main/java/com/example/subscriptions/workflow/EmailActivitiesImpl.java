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
            sender.send(details, new DeliveryId(info.getWorkflowId(), info.getRunId(), info.getActivityId()));
        } catch (RecipientRejectedException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), RecipientRejectedException.FAILURE_TYPE);
        } catch (DeliveryFailedException e) {
            // Benign: the sender logged this attempt in one line; the SDK would log it again with a stack trace.
            throw ApplicationFailure.newBuilder().setType(DeliveryFailedException.FAILURE_TYPE)
                    .setMessage(e.getMessage()).setCategory(ApplicationErrorCategory.BENIGN).build();
        }
        return "success";
    }
}
