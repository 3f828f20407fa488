package com.example.subscriptions.workflow;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.QueryRejectCondition;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@link SendEmailWorkflow#DETAILS_QUERY details} query of a subscription's latest run, as one gRPC call with a
 * deadline: a query waits for a worker, and with none running it would wait without end. The answer is decoded with
 * the client's data converter, so that a payload codec set on the client (encryption, compression) applies to it.
 *
 * <p>Failures of the call are Temporal's {@link io.grpc.StatusRuntimeException}s, as thrown: {@code NOT_FOUND} when
 * there is no such workflow, {@code DEADLINE_EXCEEDED} when no answer came in time.
 */
public final class DetailsQuery {

    /** What a query of a run that may have closed answers. */
    public sealed interface Answer {
        /** The run is open; its details. */
        record Open(EmailDetails details) implements Answer {}

        /** The run is closed, with this status; the query was not run. */
        record Closed(WorkflowExecutionStatus status) implements Answer {}
    }

    private final WorkflowClient client;

    public DetailsQuery(WorkflowClient client) {
        this.client = client;
    }

    /** The details of the workflow's latest run if it is open, else how it closed. */
    public Answer ifOpen(String workflowId, Duration timeout) {
        QueryWorkflowResponse response =
                query(workflowId, QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN, timeout);
        return response.hasQueryRejected()
                ? new Answer.Closed(response.getQueryRejected().getStatus())
                : new Answer.Open(details(response));
    }

    /** The details of the workflow's latest run, open or closed (a closed run's are its last). */
    public EmailDetails whateverItsStatus(String workflowId, Duration timeout) {
        return details(query(workflowId, QueryRejectCondition.QUERY_REJECT_CONDITION_NONE, timeout));
    }

    private QueryWorkflowResponse query(String workflowId, QueryRejectCondition rejectCondition, Duration timeout) {
        return client.getWorkflowServiceStubs()
                .blockingStub()
                .withDeadlineAfter(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS)
                .queryWorkflow(QueryWorkflowRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .setQuery(WorkflowQuery.newBuilder().setQueryType(SendEmailWorkflow.DETAILS_QUERY))
                        .setQueryRejectCondition(rejectCondition)
                        .build());
    }

    private EmailDetails details(QueryWorkflowResponse response) {
        return client.getOptions()
                .getDataConverter()
                .fromPayloads(0, Optional.of(response.getQueryResult()), EmailDetails.class, EmailDetails.class);
    }
}
