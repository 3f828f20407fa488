package com.example.subscriptions.command;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.filter.v1.WorkflowExecutionFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases one workflow id from Temporal: terminates its running run (a termination runs no workflow code, so no
 * goodbye), then deletes every run it lists for the id, plus the current run, which visibility may not list yet.
 *
 * <p>Runs are listed with {@code ListWorkflowExecutions} ({@code WorkflowId = '...'}); a server without it (the SDK's
 * test server) is asked with the older open and closed lists. A server that cannot delete (the test server again)
 * leaves the runs terminated, not deleted: said once at WARN.
 */
final class TemporalErasure {

    private static final Logger log = LoggerFactory.getLogger(TemporalErasure.class);
    private static final AtomicBoolean CANNOT_DELETE_LOGGED = new AtomicBoolean();

    private final WorkflowClient client;

    TemporalErasure(WorkflowClient client) {
        this.client = client;
    }

    /** ERASED, or NOT_FOUND when Temporal knows no run of {@code workflowId}. */
    Outcome erase(String workflowId, String reason) {
        WorkflowStub current = client.newUntypedWorkflowStub(workflowId);
        WorkflowExecutionDescription description;
        try {
            description = current.describe();
        } catch (WorkflowNotFoundException none) {
            return Outcome.NOT_FOUND;
        }
        if (description.getStatus()
                == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            try {
                current.terminate(reason);
            } catch (WorkflowNotFoundException closedMeanwhile) {
                // closed between the describe and the termination: nothing left running
            }
        }
        Set<String> runIds = new LinkedHashSet<>(listRuns(workflowId));
        runIds.add(description.getExecution().getRunId());
        for (String runId : runIds) {
            delete(workflowId, runId);
        }
        return Outcome.ERASED;
    }

    private WorkflowServiceGrpc.WorkflowServiceBlockingStub stub() {
        return client.getWorkflowServiceStubs().blockingStub();
    }

    private String namespace() {
        return client.getOptions().getNamespace();
    }

    private Set<String> listRuns(String workflowId) {
        Set<String> runIds = new LinkedHashSet<>();
        try {
            ByteString page = ByteString.EMPTY;
            do {
                ListWorkflowExecutionsResponse response = stub().listWorkflowExecutions(
                                ListWorkflowExecutionsRequest.newBuilder()
                                        .setNamespace(namespace())
                                        .setQuery("WorkflowId = '"
                                                + workflowId
                                                        .replace("\\", "\\\\")
                                                        .replace("'", "\\'") + "'")
                                        .setNextPageToken(page)
                                        .build());
                response.getExecutionsList().forEach(info -> runIds.add(runId(info)));
                page = response.getNextPageToken();
            } while (!page.isEmpty());
            return runIds;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                throw e;
            }
        }
        WorkflowExecutionFilter filter =
                WorkflowExecutionFilter.newBuilder().setWorkflowId(workflowId).build();
        ByteString page = ByteString.EMPTY;
        do {
            ListOpenWorkflowExecutionsResponse open = stub().listOpenWorkflowExecutions(
                            ListOpenWorkflowExecutionsRequest.newBuilder()
                                    .setNamespace(namespace())
                                    .setExecutionFilter(filter)
                                    .setNextPageToken(page)
                                    .build());
            open.getExecutionsList().forEach(info -> runIds.add(runId(info)));
            page = open.getNextPageToken();
        } while (!page.isEmpty());
        do {
            ListClosedWorkflowExecutionsResponse closed = stub().listClosedWorkflowExecutions(
                            ListClosedWorkflowExecutionsRequest.newBuilder()
                                    .setNamespace(namespace())
                                    .setExecutionFilter(filter)
                                    .setNextPageToken(page)
                                    .build());
            closed.getExecutionsList().forEach(info -> runIds.add(runId(info)));
            page = closed.getNextPageToken();
        } while (!page.isEmpty());
        return runIds;
    }

    private static String runId(WorkflowExecutionInfo info) {
        return info.getExecution().getRunId();
    }

    private void delete(String workflowId, String runId) {
        try {
            stub().deleteWorkflowExecution(DeleteWorkflowExecutionRequest.newBuilder()
                    .setNamespace(namespace())
                    .setWorkflowExecution(WorkflowExecution.newBuilder()
                            .setWorkflowId(workflowId)
                            .setRunId(runId))
                    .build());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND) {
                return; // deleted already, by an earlier attempt or by retention
            }
            if (code == Status.Code.UNIMPLEMENTED) {
                if (CANNOT_DELETE_LOGGED.compareAndSet(false, true)) {
                    log.warn("This Temporal server cannot delete workflow runs (the SDK's test server?): erased"
                            + " subscriptions are terminated, not deleted");
                }
                return;
            }
            throw e;
        }
    }
}
