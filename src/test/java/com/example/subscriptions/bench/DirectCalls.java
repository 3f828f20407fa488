package com.example.subscriptions.bench;

import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SubscriptionInput;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;

/** The baseline's two calls, exactly what the service does for a subscribe and a details request. */
final class DirectCalls {

    static final String WORKFLOW_TYPE = "SendEmailWorkflow";
    /** Long, so that no subscription sends a second email while the benchmark runs. */
    static final String INTERVAL = "PT1H";

    static final int EMAILS_PER_RUN = 500;

    private final WorkflowClient client;
    private final String taskQueue;

    DirectCalls(WorkflowClient client, String taskQueue) {
        this.client = client;
        this.taskQueue = taskQueue;
    }

    /** The service's start: workflow id the email, same reuse policy, same input. */
    String start(String email) {
        WorkflowOptions options = WorkflowOptions.newBuilder()
                .setWorkflowId(email)
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build();
        try {
            client.newUntypedWorkflowStub(WORKFLOW_TYPE, options)
                    .start(new SubscriptionInput(email, INTERVAL, null, EMAILS_PER_RUN));
            return "SUBSCRIBED";
        } catch (WorkflowExecutionAlreadyStarted e) {
            return "ALREADY_SUBSCRIBED";
        }
    }

    /** A signal the workflow has no handler for: it only adds events to the run's history. */
    String signal(String email) {
        client.newUntypedWorkflowStub(email).signal("history-filler", 0);
        return "SIGNALLED";
    }

    long historyLength(String email) {
        return client.newUntypedWorkflowStub(email).describe().getHistoryLength();
    }

    boolean open(String email) {
        return client.newUntypedWorkflowStub(email).describe().getStatus()
                == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    /** The {@code details} query, as the tutorial's client makes it. */
    String query(String email) {
        EmailDetails details = client.newUntypedWorkflowStub(email).query("details", EmailDetails.class);
        return details.subscribed() ? "RUNNING" : "NOT_SUBSCRIBED";
    }
}
