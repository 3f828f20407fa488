package com.example.subscriptions.workflow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface EmailActivities {

    String SEND_EMAIL = "send_email";

    /** Sends one email of the subscription; returns "success" as the tutorial's activity does. */
    @ActivityMethod(name = SEND_EMAIL)
    String sendEmail(EmailDetails details);
}
