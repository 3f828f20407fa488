package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Optional;

/**
 * Reads what a command needs to know of an email's latest run from one describe: who started it and whether and by
 * whom it was cancelled are in the run's memo. Only a run cancelled before runs recorded their cancellation in their
 * memo takes a second call, which reads its history once.
 */
final class LatestRuns {

    private final WorkflowClient client;
    private final SubscriberIds ids;

    LatestRuns(WorkflowClient client, SubscriberIds ids) {
        this.client = client;
        this.ids = ids;
    }

    /** The email's latest run, if it has any. */
    Optional<LatestRun> of(EmailAddress email) {
        try {
            return Optional.of(from(
                    email, client.newUntypedWorkflowStub(ids.workflowId(email)).describe()));
        } catch (WorkflowNotFoundException none) {
            return Optional.empty();
        }
    }

    private LatestRun from(EmailAddress email, WorkflowExecutionDescription description) {
        String runId = description.getExecution().getRunId();
        boolean open = description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        Optional<CommandPosition> startedBy =
                CommandPosition.parse((String) description.getMemo(SendEmailWorkflow.STARTED_BY_MEMO, String.class));
        Optional<String> cancelledBy =
                Optional.ofNullable((String) description.getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class));
        if (cancelledBy.isEmpty()
                && !open
                && startedBy.isPresent()
                && description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED) {
            // Cancelled before runs wrote who cancelled them into their memo: its history says it, once.
            cancelledBy = cancelReasonInHistory(email, runId);
        }
        LatestRun.Cancellation cancellation = cancelledBy.isPresent()
                ? LatestRun.Cancellation.SEEN
                // Only a real server says this (the test server never sets it); the workflow will write the memo.
                : description.getRawDescription().getWorkflowExtendedInfo().getCancelRequested()
                        ? LatestRun.Cancellation.PENDING
                        : LatestRun.Cancellation.NONE;
        String firstRunId = description.getFirstRunId() == null
                        || description.getFirstRunId().isEmpty()
                ? runId
                : description.getFirstRunId();
        return new LatestRun(
                runId,
                firstRunId,
                open,
                startedBy,
                cancelledBy.flatMap(CommandPosition::fromCancelReason),
                cancellation,
                Optional.ofNullable((String) description.getMemo(SendEmailWorkflow.CONFIRMED_BY_MEMO, String.class)));
    }

    private Optional<String> cancelReasonInHistory(EmailAddress email, String runId) {
        return client.streamHistory(ids.workflowId(email), runId)
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)
                .map(event -> event.getWorkflowExecutionCancelRequestedEventAttributes()
                        .getCause())
                .findFirst();
    }
}
