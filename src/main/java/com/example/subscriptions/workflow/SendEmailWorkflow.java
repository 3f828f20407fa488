package com.example.subscriptions.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One subscription, keyed by the subscriber's normalised email as workflow id. The type, query and activity names are
 * those of Temporal's Python email-subscription tutorial, so its worker and client interoperate with ours.
 */
@WorkflowInterface
public interface SendEmailWorkflow {

    String TYPE = "SendEmailWorkflow";
    String DEFAULT_TASK_QUEUE = "email_subscription";
    String DETAILS_QUERY = "details";
    /**
     * Memo naming what started the subscription (for the bridge: the command record's position). Every run carries
     * it on, so that describing the latest run tells a redelivered command whether it was applied already.
     */
    String STARTED_BY_MEMO = "startedBy";
    /**
     * Memo a cancelled run writes before its goodbye: the reason its cancellation gave (for the bridge: {@code
     * unsubscribe <position>}; empty for a cancel without one, such as the tutorial's client's). Present means the
     * workflow has seen its cancellation.
     */
    String CANCELLED_BY_MEMO = "cancelledBy";
    /**
     * The first word of a cancel reason that ends the subscription because the address bounced: no goodbye is sent,
     * since mail to the address is exactly what must stop. The bridge cancels with {@code bounce <position>}.
     */
    String BOUNCE_CANCEL = "bounce";
    /** The first word of a cancel reason that ends the subscription because its owner complained: no goodbye. */
    String COMPLAINT_CANCEL = "complaint";
    /**
     * The type of the activity failure of an email the server refused for good on every attempt: the workflow skips it
     * and goes on, until {@link #GIVE_UPS_END_SUBSCRIPTION} in a row end the subscription.
     */
    String EMAIL_GIVEN_UP = "EmailGivenUp";
    /** Emails given up in a row after which the subscription ends (COMPLETED, details saying why). */
    int GIVE_UPS_END_SUBSCRIPTION = 3;
    /** Signal of double opt-in: the subscriber confirmed; its argument names who confirmed (a command position). */
    String CONFIRM_SIGNAL = "confirm";
    /** Signal of double opt-in: the address subscribed again while pending; re-sends the confirmation, rate-limited. */
    String RESEND_CONFIRMATION_SIGNAL = "resend_confirmation";
    /**
     * Memo a pending run writes when confirmed: the confirm signal's argument (for the bridge: {@code confirm
     * <position>}). Present means the subscription is confirmed.
     */
    String CONFIRMED_BY_MEMO = "confirmedBy";

    /**
     * Sends emails until cancelled; ends CANCELED after the goodbye email, or without one when the cancel's reason
     * starts with {@link #BOUNCE_CANCEL} or {@link #COMPLAINT_CANCEL}.
     */
    @WorkflowMethod(name = TYPE)
    void run(SubscriptionInput input);

    @QueryMethod(name = DETAILS_QUERY)
    EmailDetails details();

    /** Confirms a pending subscription; ignored by a run that is not pending. */
    @SignalMethod(name = CONFIRM_SIGNAL)
    void confirm(String confirmedBy);

    /** Re-sends a pending subscription's confirmation, unless one went out less than the resend period ago. */
    @SignalMethod(name = RESEND_CONFIRMATION_SIGNAL)
    void resendConfirmation();
}
