package com.example.subscriptions.status;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.workflow.DetailsQuery;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Answers with the {@code details} query, bounded by a deadline. One query answers a running subscription; a closed
 * one takes a second query, because the first, rejected for a closed workflow, is what tells its final status.
 */
public final class TemporalSubscriptionLookup implements SubscriptionLookup {

    private static final String STATUS_PREFIX = "WORKFLOW_EXECUTION_STATUS_";

    private final DetailsQuery query;
    private final Duration timeout;
    private final Executor executor;
    private final SubscriberIds ids;

    /** With the tutorial's workflow ids (the email). */
    public TemporalSubscriptionLookup(WorkflowClient client, Duration timeout, Executor executor) {
        this(client, SubscriberIds.plain(), timeout, executor);
    }

    public TemporalSubscriptionLookup(WorkflowClient client, SubscriberIds ids, Duration timeout, Executor executor) {
        this.query = new DetailsQuery(client);
        this.ids = ids;
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
            String workflowId = ids.workflowId(email);
            DetailsQuery.Answer answer = query.ifOpen(workflowId, timeout);
            if (answer instanceof DetailsQuery.Answer.Open open) {
                return new Lookup.Found("RUNNING", open.details());
            }
            String closed =
                    ((DetailsQuery.Answer.Closed) answer).status().name().replace(STATUS_PREFIX, "");
            return new Lookup.Found(
                    closed, query.whateverItsStatus(workflowId, Duration.ofNanos(deadline - System.nanoTime())));
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
}
