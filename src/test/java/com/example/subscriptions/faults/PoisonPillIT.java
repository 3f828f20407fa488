package com.example.subscriptions.faults;

import static com.example.subscriptions.it.KafkaProbe.bytes;
import static com.example.subscriptions.it.KafkaProbe.header;
import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.it.ServiceFixture;
import com.example.subscriptions.kafka.DeadLetters;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A thousand bad records of a dozen kinds among good ones: each bad one dead-lettered, each good one applied. */
class PoisonPillIT {

    private record Pill(String kind, IntFunction<byte[]> value) {}

    private static final List<Pill> PILLS = List.of(
            new Pill("not-json", i -> bytes("subscribe alice please " + i)),
            new Pill("empty", i -> new byte[0]),
            new Pill("null", i -> null),
            new Pill("json-array", i -> bytes("[\"subscribe\", \"a" + i + "@example.com\"]")),
            new Pill("wrong-types", i -> bytes("{\"type\": " + i + ", \"email\": true}")),
            new Pill("unknown-type", i -> bytes("{\"type\": \"upgrade\", \"email\": \"a" + i + "@example.com\"}")),
            new Pill("invalid-email", i -> bytes("{\"type\": \"subscribe\", \"email\": \"a" + i + " at example\"}")),
            new Pill(
                    "over-long-email",
                    i -> bytes("{\"type\": \"subscribe\", \"email\": \"" + "x".repeat(250) + i + "@example.com\"}")),
            new Pill(
                    "over-size",
                    i -> bytes("{\"type\": \"subscribe\", \"email\": \"a" + i + "@example.com\"," + " \"padding\": \""
                            + "p".repeat(20_000) + "\"}")),
            new Pill("invalid-utf8", i -> new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'}),
            new Pill("huge-headers", i -> bytes("{\"type\": \"subscribe\"}")),
            new Pill(
                    "two-commands",
                    i -> bytes("{\"type\":\"subscribe\",\"email\":\"a@example.com\"}{\"type\":"
                            + "\"unsubscribe\",\"email\":\"a@example.com\"}")));

    @Test
    void everyBadRecordIsDeadLetteredWithItsReasonAndEveryGoodOneIsApplied() {
        int badCount = 1_000;
        int goodCount = 200;
        try (ServiceFixture fixture = new ServiceFixture()) {
            Service service = fixture.start(Map.of("roles", "worker,commands"), (details, delivery) -> {});
            String commands = fixture.topic("commands");
            String events = fixture.topic("events");
            String deadLetters = fixture.topic("commands-dlt");
            try (KafkaProbe kafka = new KafkaProbe(events, deadLetters)) {
                Map<String, byte[]> sentValues = new HashMap<>();
                List<String> goodEmails = new ArrayList<>();
                int good = 0;
                for (int i = 0; i < badCount; i++) {
                    Pill pill = PILLS.get(i % PILLS.size());
                    String key = "bad-" + i;
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("kind", bytes(pill.kind()));
                    if (pill.kind().equals("huge-headers")) {
                        headers.add("blob-1", new byte[200_000]);
                        headers.add("blob-2", new byte[200_000]);
                    }
                    byte[] value = pill.value().apply(i);
                    sentValues.put(key, value);
                    kafka.sendAsync(new ProducerRecord<>(commands, null, bytes(key), value, headers));
                    if (i % 5 == 0 && good < goodCount) {
                        String email = "good-" + fixture.suffix + "-" + good++ + "@example.com";
                        goodEmails.add(email);
                        kafka.sendAsync(new ProducerRecord<>(
                                commands, bytes(email), bytes("{\"type\":\"subscribe\",\"email\":\"" + email + "\"}")));
                    }
                }
                kafka.flush();

                List<ConsumerRecord<byte[], byte[]>> dead = kafka.awaitCount(badCount, KafkaProbe.onTopic(deadLetters));
                assertEquals(badCount, dead.size());
                Map<String, Integer> byKind = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : dead) {
                    String key = text(record.key());
                    assertArrayEquals(sentValues.get(key), record.value(), "value intact for " + key);
                    assertTrue(!header(record, DeadLetters.REASON).isBlank(), "reason for " + key);
                    assertEquals(commands, header(record, DeadLetters.ORIGINAL_TOPIC));
                    byKind.merge(header(record, "kind"), 1, Integer::sum);
                }
                assertEquals(PILLS.size(), byKind.size(), "every kind dead-lettered: " + byKind);
                assertEquals(
                        200_000,
                        dead.stream()
                                .filter(r -> "huge-headers".equals(header(r, "kind")))
                                .findFirst()
                                .orElseThrow()
                                .headers()
                                .lastHeader("blob-1")
                                .value()
                                .length);

                List<ConsumerRecord<byte[], byte[]>> outcomes =
                        kafka.awaitCount(badCount + goodCount, KafkaProbe.onTopic(events));
                assertEquals(
                        badCount,
                        outcomes.stream()
                                .filter(r ->
                                        "REJECTED".equals(json(r).get("outcome").asText()))
                                .count());
                assertEquals(
                        goodCount,
                        outcomes.stream()
                                .filter(r -> "SUBSCRIBED"
                                        .equals(json(r).get("outcome").asText()))
                                .count());

                WorkflowClient temporal = fixture.client();
                for (String email : goodEmails) {
                    assertEquals(
                            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                            temporal.newUntypedWorkflowStub(email).describe().getStatus(),
                            email);
                }
                assertTrue(service.ready(), "the consumer is still running and in its group");
            }
        }
    }
}
