package com.example.subscriptions.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one {@code details} query, against a client whose payloads pass through a codec, as an encrypting one would. */
class DetailsQueryTest {

    private static final String EMAIL = "alice@example.com";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private DetailsQuery query;

    @BeforeEach
    void startEnvironment() {
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
                        .setDataConverter(new CodecDataConverter(
                                DefaultDataConverter.newDefaultInstance(), List.of(new ReversingCodec())))
                        .build())
                .build());
        Worker worker = env.newWorker(SendEmailWorkflow.DEFAULT_TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        worker.registerActivitiesImplementations(new EmailActivitiesImpl((details, delivery) -> {}));
        env.start();
        client = env.getWorkflowClient();
        query = new DetailsQuery(client);
    }

    @AfterEach
    void stopEnvironment() {
        env.close();
    }

    private void subscribe() {
        client.newUntypedWorkflowStub(
                        SendEmailWorkflow.TYPE,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(EMAIL)
                                .setTaskQueue(SendEmailWorkflow.DEFAULT_TASK_QUEUE)
                                .build())
                .start(SubscriptionInput.of(EMAIL, Duration.ofHours(1)));
    }

    @Test
    void anOpenRunAnswersItsDetailsDecodedWithTheClientsConverter() {
        subscribe();

        DetailsQuery.Answer answer = query.ifOpen(EMAIL, TIMEOUT);

        EmailDetails details =
                assertInstanceOf(DetailsQuery.Answer.Open.class, answer).details();
        assertEquals(EMAIL, details.email());
        assertTrue(details.subscribed());
    }

    @Test
    void aClosedRunAnswersHowItClosedAndThenItsLastDetails() {
        subscribe();
        client.newUntypedWorkflowStub(EMAIL).cancel();
        assertThrows(
                WorkflowFailedException.class,
                () -> client.newUntypedWorkflowStub(EMAIL).getResult(Void.class));

        assertEquals(
                new DetailsQuery.Answer.Closed(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED),
                query.ifOpen(EMAIL, TIMEOUT));
        EmailDetails last = query.whateverItsStatus(EMAIL, TIMEOUT);
        assertFalse(last.subscribed());
        assertEquals(EmailDetails.GOODBYE, last.message());
    }

    @Test
    void anUnknownSubscriptionIsNotFound() {
        StatusRuntimeException e =
                assertThrows(StatusRuntimeException.class, () -> query.ifOpen("nobody@example.com", TIMEOUT));

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    /** Reverses the bytes of every payload: what the default converter alone cannot read. */
    private static final class ReversingCodec implements PayloadCodec {

        @Override
        public List<Payload> encode(List<Payload> payloads) {
            return payloads.stream().map(ReversingCodec::reversed).toList();
        }

        @Override
        public List<Payload> decode(List<Payload> payloads) {
            return payloads.stream().map(ReversingCodec::reversed).toList();
        }

        private static Payload reversed(Payload payload) {
            byte[] data = payload.getData().toByteArray();
            for (int i = 0, j = data.length - 1; i < j; i++, j--) {
                byte b = data[i];
                data[i] = data[j];
                data[j] = b;
            }
            return payload.toBuilder().setData(ByteString.copyFrom(data)).build();
        }
    }
}
