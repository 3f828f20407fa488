package com.example.subscriptions.command;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a real server's {@code DeleteWorkflowExecution} does, in front of the SDK's test server, which has none: a
 * deleted workflow id is not found by describe, query or history until a new run starts under it. Every deletion is
 * recorded as {@code workflowId/runId}.
 */
final class DeletingServer implements ClientInterceptor {

    final List<String> deletedRuns = new CopyOnWriteArrayList<>();
    /** The workflow ids of every termination asked for. */
    final List<String> terminated = new CopyOnWriteArrayList<>();

    private final Set<String> deletedIds = ConcurrentHashMap.newKeySet();

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ClientCall<>() {
            private Listener<R> listener;
            private Metadata headers;
            private int requested;
            private ClientCall<Q, R> forwarded;

            @Override
            public void start(Listener<R> listener, Metadata headers) {
                this.listener = listener;
                this.headers = headers;
            }

            @Override
            public void request(int numMessages) {
                if (forwarded != null) {
                    forwarded.request(numMessages);
                } else {
                    requested += numMessages;
                }
            }

            @Override
            @SuppressWarnings("unchecked")
            public void sendMessage(Q message) {
                if (forwarded != null) {
                    forwarded.sendMessage(message);
                    return;
                }
                if (message instanceof DeleteWorkflowExecutionRequest delete) {
                    deletedIds.add(delete.getWorkflowExecution().getWorkflowId());
                    deletedRuns.add(delete.getWorkflowExecution().getWorkflowId() + "/"
                            + delete.getWorkflowExecution().getRunId());
                    listener.onHeaders(new Metadata());
                    listener.onMessage((R) DeleteWorkflowExecutionResponse.getDefaultInstance());
                    listener.onClose(Status.OK, new Metadata());
                    return;
                }
                Optional<String> target = workflowIdOf(message);
                if (target.isPresent() && deletedIds.contains(target.get())) {
                    listener.onClose(Status.NOT_FOUND.withDescription("workflow deleted"), new Metadata());
                    return;
                }
                if (message instanceof TerminateWorkflowExecutionRequest terminate) {
                    terminated.add(terminate.getWorkflowExecution().getWorkflowId());
                }
                if (message instanceof StartWorkflowExecutionRequest start) {
                    deletedIds.remove(start.getWorkflowId());
                }
                forwarded = next.newCall(method, options);
                forwarded.start(listener, headers);
                if (requested > 0) {
                    forwarded.request(requested);
                }
                forwarded.sendMessage(message);
            }

            @Override
            public void halfClose() {
                if (forwarded != null) {
                    forwarded.halfClose();
                }
            }

            @Override
            public void cancel(String message, Throwable cause) {
                if (forwarded != null) {
                    forwarded.cancel(message, cause);
                }
            }
        };
    }

    private static Optional<String> workflowIdOf(Object message) {
        if (message instanceof DescribeWorkflowExecutionRequest describe) {
            return Optional.of(describe.getExecution().getWorkflowId());
        }
        if (message instanceof QueryWorkflowRequest query) {
            return Optional.of(query.getExecution().getWorkflowId());
        }
        if (message instanceof GetWorkflowExecutionHistoryRequest history) {
            return Optional.of(history.getExecution().getWorkflowId());
        }
        return Optional.empty();
    }
}
