package com.example.subscriptions.workflow;

import io.temporal.workflow.QueryMethod;
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

    /** Sends emails until cancelled; ends CANCELED after the goodbye email. */
    @WorkflowMethod(name = TYPE)
    void run(SubscriptionInput input);

    @QueryMethod(name = DETAILS_QUERY)
    EmailDetails details();
}
