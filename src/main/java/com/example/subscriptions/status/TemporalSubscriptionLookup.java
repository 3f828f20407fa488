package com.example.subscriptions.status;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.QueryRejectCondition;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Answers with the {@code details} query, bounded by a deadline: a query waits for a worker, and with none running
 * it would wait without end. One query answers a running subscription; a closed one takes a second query, because
 * the first, rejected for a closed workflow, is what tells its final status.
 */
public final class TemporalSubscriptionLookup implements SubscriptionLookup {

    private static final String STATUS_PREFIX = "WORKFLOW_EXECUTION_STATUS_";

    private final WorkflowServiceStubs service;
    private final String namespace;
    private final Duration timeout;
    private final Executor executor;
    private final DataConverter converter = GlobalDataConverter.get();

    public TemporalSubscriptionLookup(
            WorkflowServiceStubs service, String namespace, Duration timeout, Executor executor) {
        this.service = service;
        this.namespace = namespace;
        this.timeout = timeout;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Lookup> lookup(EmailAddress email) {
        return CompletableFuture.supplyAsync(() -> lookupNow(email), executor);
    }

    private Lookup lookupNow(EmailAddress email) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            QueryWorkflowResponse ifOpen = query(email, QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN, deadline);
            if (!ifOpen.hasQueryRejected()) {
                return new Lookup.Found("RUNNING", details(ifOpen));
            }
            WorkflowExecutionStatus closed = ifOpen.getQueryRejected().getStatus();
            QueryWorkflowResponse last = query(email, QueryRejectCondition.QUERY_REJECT_CONDITION_NONE, deadline);
            return new Lookup.Found(closed.name().replace(STATUS_PREFIX, ""), details(last));
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND) {
                return new Lookup.NotFound();
            }
            if (code == Status.Code.DEADLINE_EXCEEDED) {
                return new Lookup.Unavailable("Temporal did not answer within " + timeout.toMillis() + " ms");
            }
            return new Lookup.Unavailable(
                    "Temporal answered " + code + ": " + e.getStatus().getDescription());
        } catch (RuntimeException e) {
            return new Lookup.Unavailable("query failed: " + e.getMessage());
        }
    }

    private QueryWorkflowResponse query(EmailAddress email, QueryRejectCondition rejectCondition, long deadline) {
        long remaining = Math.max(1, deadline - System.nanoTime());
        return service.blockingStub()
                .withDeadlineAfter(remaining, TimeUnit.NANOSECONDS)
                .queryWorkflow(QueryWorkflowRequest.newBuilder()
                        .setNamespace(namespace)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(email.value()))
                        .setQuery(WorkflowQuery.newBuilder().setQueryType(SendEmailWorkflow.DETAILS_QUERY))
                        .setQueryRejectCondition(rejectCondition)
                        .build());
    }

    private EmailDetails details(QueryWorkflowResponse response) {
        return converter.fromPayloads(
                0, Optional.of(response.getQueryResult()), EmailDetails.class, EmailDetails.class);
    }
}
