package com.example.subscriptions.it;

import static com.example.subscriptions.it.KafkaProbe.bytes;
import static com.example.subscriptions.it.KafkaProbe.header;
import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static com.example.subscriptions.it.KafkaProbe.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.kafka.DeadLetters;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The commands role against a real broker and a real Temporal service, fed as users feed it. */
class CommandsIT {

    private static ServiceFixture fixture;
    private static KafkaProbe kafka;
    private static WorkflowClient temporal;
    private static String commands;
    private static String events;
    private static String deadLetters;

    @BeforeAll
    static void startService() {
        fixture = new ServiceFixture();
        fixture.start(Map.of("roles", "worker,commands"), (details, delivery) -> {});
        commands = fixture.topic("commands");
        events = fixture.topic("events");
        deadLetters = fixture.topic("commands-dlt");
        kafka = new KafkaProbe(events, deadLetters);
        temporal = fixture.client();
    }

    @AfterAll
    static void stopService() {
        kafka.close();
        fixture.close();
    }

    private static String newEmail() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static String send(String type, String email) {
        String commandId = UUID.randomUUID().toString();
        kafka.send(
                commands,
                email,
                "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}");
        return commandId;
    }

    private static JsonNode eventFor(String commandId) {
        return json(kafka.await(jsonField(events, "commandId", commandId)));
    }

    private static WorkflowStub workflow(String email) {
        return temporal.newUntypedWorkflowStub(email);
    }

    private static WorkflowExecutionStatus status(String email) {
        return workflow(email).describe().getStatus();
    }

    @Test
    void subscribeStartsARunningWorkflowAndReportsSubscribed() {
        String email = newEmail();

        JsonNode event = eventFor(send("subscribe", email));

        assertEquals("SUBSCRIBED", event.get("outcome").asText());
        assertEquals("subscribe", event.get("type").asText());
        assertEquals(email, event.get("email").asText());
        assertTrue(Instant.parse(event.get("at").asText()).isAfter(Instant.now().minusSeconds(60)));
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(email));
        ConsumerRecord<byte[], byte[]> record = kafka.await(jsonField(events, "email", email));
        assertEquals(email, text(record.key()));
    }

    @Test
    void theRunRemembersTheRecordThatStartedItWithItsTopicsId() throws Exception {
        String email = newEmail();

        eventFor(send("subscribe", email));

        String topicId;
        try (Admin admin = Admin.create(
                Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            topicId = admin.describeTopics(List.of(commands))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(commands)
                    .topicId()
                    .toString();
        }
        String startedBy = (String) workflow(email).describe().getMemo(SendEmailWorkflow.STARTED_BY_MEMO, String.class);
        assertTrue(startedBy.matches(Pattern.quote(commands) + "-\\d+-\\d+@" + Pattern.quote(topicId)), startedBy);
    }

    @Test
    void duplicateSubscribeReportsAlreadySubscribedAndKeepsTheOneWorkflow() {
        String email = newEmail();
        eventFor(send("subscribe", email));
        String firstRun = workflow(email).describe().getExecution().getRunId();

        JsonNode event = eventFor(send("subscribe", email));

        assertEquals("ALREADY_SUBSCRIBED", event.get("outcome").asText());
        assertEquals(firstRun, workflow(email).describe().getExecution().getRunId());
    }

    @Test
    void unsubscribeCancelsTheWorkflowWhichSaysGoodbye() {
        String email = newEmail();
        eventFor(send("subscribe", email));

        JsonNode event = eventFor(send("unsubscribe", email));

        assertEquals("UNSUBSCRIBE_REQUESTED", event.get("outcome").asText());
        awaitStatus(email, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        EmailDetails details =
                temporal.newWorkflowStub(SendEmailWorkflow.class, email).details();
        assertEquals(EmailDetails.GOODBYE, details.message());
        assertEquals(false, details.subscribed());
    }

    @Test
    void unsubscribeOfAnUnknownEmailReportsNotSubscribed() {
        JsonNode event = eventFor(send("unsubscribe", newEmail()));

        assertEquals("NOT_SUBSCRIBED", event.get("outcome").asText());
    }

    @Test
    void unsubscribeAfterTheSubscriptionEndedReportsNotSubscribed() {
        String email = newEmail();
        eventFor(send("subscribe", email));
        eventFor(send("unsubscribe", email));
        awaitStatus(email, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);

        assertEquals(
                "NOT_SUBSCRIBED",
                eventFor(send("unsubscribe", email)).get("outcome").asText());
    }

    @Test
    void subscribeAfterUnsubscribeStartsANewRun() {
        String email = newEmail();
        eventFor(send("subscribe", email));
        String firstRun = workflow(email).describe().getExecution().getRunId();
        eventFor(send("unsubscribe", email));
        awaitStatus(email, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);

        JsonNode event = eventFor(send("subscribe", email));

        assertEquals("SUBSCRIBED", event.get("outcome").asText());
        assertNotEquals(firstRun, workflow(email).describe().getExecution().getRunId());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(email));
    }

    @Test
    void subscribeUnsubscribeSubscribeInOneBurstEndsSubscribed() {
        String email = newEmail();
        String first = send("subscribe", email);
        String second = send("unsubscribe", email);
        String third = send("subscribe", email);

        assertEquals("SUBSCRIBED", eventFor(first).get("outcome").asText());
        assertEquals("UNSUBSCRIBE_REQUESTED", eventFor(second).get("outcome").asText());
        assertEquals("SUBSCRIBED", eventFor(third).get("outcome").asText());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(email));
        assertEquals(
                true,
                temporal.newWorkflowStub(SendEmailWorkflow.class, email)
                        .details()
                        .subscribed());
    }

    @Test
    void typeIsCaseInsensitiveEmailIsNormalisedAndUnknownFieldsAreIgnored() {
        String email = newEmail();
        String commandId = UUID.randomUUID().toString();
        kafka.send(
                commands,
                null,
                "{\"type\":\"SubScribe\",\"email\":\"  " + email.toUpperCase() + " \",\"commandId\":\"" + commandId
                        + "\",\"source\":\"crm\"}");

        JsonNode event = eventFor(commandId);

        assertEquals("SUBSCRIBED", event.get("outcome").asText());
        assertEquals(email, event.get("email").asText());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(email));
    }

    @Test
    void commandWithoutCommandIdIsIdentifiedByTopicPartitionOffset() {
        String email = newEmail();
        kafka.send(commands, email, "{\"type\":\"subscribe\",\"email\":\"" + email + "\"}");

        JsonNode event = json(kafka.await(jsonField(events, "email", email)));

        assertTrue(event.get("commandId").asText().matches(commands + "-\\d+-\\d+"), event.toString());
    }

    @Test
    void everyKindOfBadRecordIsRejectedAndDeadLetteredWhileGoodOnesAroundItWork() {
        String good1 = newEmail();
        String good2 = newEmail();
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("not json", bytes("subscribe me please"));
        bad.put("empty", new byte[0]);
        bad.put("null", null);
        bad.put("array", bytes("[\"subscribe\", \"a@example.com\"]"));
        bad.put("type not a string", bytes("{\"type\": 7, \"email\": \"a@example.com\"}"));
        bad.put("unknown type", bytes("{\"type\": \"resubscribe\", \"email\": \"a@example.com\"}"));
        bad.put("missing type", bytes("{\"email\": \"a@example.com\"}"));
        bad.put("missing email", bytes("{\"type\": \"subscribe\"}"));
        bad.put("invalid email", bytes("{\"type\": \"subscribe\", \"email\": \"not an address\"}"));
        bad.put(
                "long local part",
                bytes("{\"type\": \"subscribe\", \"email\": \"" + "x".repeat(65) + "@example.com\"}"));
        bad.put(
                "over size",
                bytes("{\"type\": \"subscribe\", \"email\": \"a@example.com\", \"pad\": \"" + "p".repeat(17_000)
                        + "\"}"));
        bad.put("invalid utf-8", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});

        send("subscribe", good1);
        bad.forEach((kind, value) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add("kind", bytes(kind));
            kafka.send(new ProducerRecord<>(commands, null, bytes("key-" + kind), value, headers));
        });
        send("subscribe", good2);

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.awaitCount(
                bad.size(), r -> r.topic().equals(deadLetters) && text(r.key()).startsWith("key-"));
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            String kind = header(record, "kind");
            assertTrue(bad.containsKey(kind), "unexpected dead letter " + kind);
            assertTrue(java.util.Arrays.equals(bad.get(kind), record.value()), "value intact for " + kind);
            assertEquals(commands, header(record, DeadLetters.ORIGINAL_TOPIC));
            assertTrue(header(record, DeadLetters.ORIGINAL_OFFSET).matches("\\d+"));
            assertTrue(header(record, DeadLetters.ORIGINAL_PARTITION).matches("\\d+"));
            assertTrue(!header(record, DeadLetters.REASON).isBlank());
        }
        List<JsonNode> rejected = kafka.awaitCount(bad.size(), jsonField(events, "outcome", "REJECTED")).stream()
                .map(KafkaProbe::json)
                .toList();
        assertTrue(rejected.stream().anyMatch(e -> e.get("reason").asText().contains("not JSON")));
        assertTrue(rejected.stream().anyMatch(e -> e.get("reason").asText().contains("unknown type 'resubscribe'")));
        assertTrue(rejected.stream().anyMatch(e -> e.get("reason").asText().contains("over the limit of 16384")));
        assertTrue(rejected.stream().anyMatch(e -> e.get("reason").asText().contains("UTF-8")));
        assertTrue(rejected.stream().anyMatch(e -> e.get("reason").asText().contains("tombstone")));
        assertEquals(
                "SUBSCRIBED",
                json(kafka.await(jsonField(events, "email", good1)))
                        .get("outcome")
                        .asText());
        assertEquals(
                "SUBSCRIBED",
                json(kafka.await(jsonField(events, "email", good2)))
                        .get("outcome")
                        .asText());
    }

    @Test
    void recordsTypedIntoKafkasConsoleProducerAreUnderstood() throws Exception {
        String email = newEmail();
        String line = email + "|{\"type\": \"subscribe\", \"email\": \"" + email + "\"}\n";
        Process producer = new ProcessBuilder(
                        new File(System.getProperty("java.home"), "bin/java").getPath(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.apache.kafka.tools.ConsoleProducer",
                        "--bootstrap-server",
                        TestKafka.bootstrapServers(),
                        "--topic",
                        commands,
                        "--property",
                        "parse.key=true",
                        "--property",
                        "key.separator=|")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        producer.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
        producer.getOutputStream().close();
        assertTrue(producer.waitFor(60, TimeUnit.SECONDS), "console producer did not finish");

        ConsumerRecord<byte[], byte[]> event = kafka.await(jsonField(events, "email", email));

        assertEquals("SUBSCRIBED", json(event).get("outcome").asText());
        assertEquals(email, text(event.key()));
    }

    private static void awaitStatus(String email, WorkflowExecutionStatus expected) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> status(email) == expected);
    }
}
