package com.example.subscriptions.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The schema files themselves: well-formed draft 2020-12, found by their ids, and strict where the README is. */
class ContractSchemasTest {

    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    static JsonNode file(Payload payload) {
        try (InputStream in = ContractSchemasTest.class.getClassLoader().getResourceAsStream(payload.resource())) {
            assertNotNull(in, payload.resource() + " is not on the classpath");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertValid(Payload payload, String json) {
        List<String> violations = ContractSchemas.violations(payload, json);
        assertTrue(violations.isEmpty(), () -> json + " should be a valid " + payload + ": " + violations);
    }

    private static void assertInvalid(Payload payload, String json) {
        assertFalse(
                ContractSchemas.violations(payload, json).isEmpty(), () -> json + " should not be a valid " + payload);
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    @ParameterizedTest
    @EnumSource(Payload.class)
    void eachSchemaIsValidDraft202012WithItsStableId(Payload payload) {
        JsonNode schema = file(payload);
        assertEquals(DRAFT_2020_12, schema.path("$schema").asText());
        assertEquals(payload.id(), schema.path("$id").asText());
        List<String> violations = ContractSchemas.REGISTRY
                .getSchema(SchemaLocation.of(DRAFT_2020_12))
                .validate(schema.toString(), com.networknt.schema.InputFormat.JSON)
                .stream()
                .map(Object::toString)
                .toList();
        assertTrue(violations.isEmpty(), () -> payload.fileName() + " against the meta-schema: " + violations);
    }

    @ParameterizedTest
    @EnumSource(Payload.class)
    void eachSchemasOwnExamplesConformToIt(Payload payload) {
        JsonNode examples = file(payload).path("examples");
        assertTrue(examples.size() > 0, payload.fileName() + " has no examples");
        examples.forEach(example -> assertValid(payload, example.toString()));
    }

    @Test
    void theInputSchemasShareOneEmailRuleAndTheOutputSchemasAnother() {
        assertEquals(
                file(Payload.COMMAND).at("/$defs/emailAsSent"),
                file(Payload.DETAILS_REQUEST).at("/$defs/emailAsSent"));
        assertEquals(
                file(Payload.EVENT).at("/$defs/normalisedEmail"),
                file(Payload.DETAILS_REPLY).at("/$defs/normalisedEmail"));
    }

    static Stream<Arguments> invalidEvents() {
        return Stream.of(
                Arguments.of(
                        "type does not match the outcome",
                        "{'commandId': 'c', 'type': 'unsubscribe', "
                                + "'email': 'a@example.com', 'outcome': 'SUBSCRIBED', 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "reason on an applied command",
                        "{'commandId': 'c', 'type': 'subscribe', "
                                + "'email': 'a@example.com', 'outcome': 'SUBSCRIBED', 'reason': 'x', "
                                + "'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "REJECTED without a reason",
                        "{'commandId': 'c', 'outcome': 'REJECTED', " + "'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "an email that is not normalised",
                        "{'commandId': 'c', 'type': 'subscribe', "
                                + "'email': 'Alice@example.com', 'outcome': 'SUBSCRIBED', 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "an unknown outcome",
                        "{'commandId': 'c', 'type': 'subscribe', "
                                + "'email': 'a@example.com', 'outcome': 'DONE', 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "at that is not a date-time",
                        "{'commandId': 'c', 'type': 'subscribe', "
                                + "'email': 'a@example.com', 'outcome': 'SUBSCRIBED', 'at': 'yesterday'}"),
                Arguments.of(
                        "a field the contract does not have",
                        "{'commandId': 'c', 'type': 'subscribe', "
                                + "'email': 'a@example.com', 'outcome': 'SUBSCRIBED', 'at': '2026-11-24T23:06:26.52Z', "
                                + "'extra': 1}"),
                Arguments.of(
                        "no commandId",
                        "{'type': 'subscribe', 'email': 'a@example.com', "
                                + "'outcome': 'SUBSCRIBED', 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "a suppressing bounce without its source",
                        "{'commandId': 'c', 'type': 'bounce', 'email': 'a@example.com', 'outcome': 'SUPPRESSED', "
                                + "'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "a complaint with a source nobody sends",
                        "{'commandId': 'c', 'type': 'complaint', 'email': 'a@example.com', "
                                + "'outcome': 'ALREADY_SUPPRESSED', 'source': 'fax', 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "a source on a subscribe",
                        "{'commandId': 'c', 'type': 'subscribe', 'email': 'a@example.com', 'outcome': 'SUPPRESSED', "
                                + "'source': 'dsn', 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "ALREADY_SUPPRESSED on a subscribe",
                        "{'commandId': 'c', 'type': 'subscribe', 'email': 'a@example.com', "
                                + "'outcome': 'ALREADY_SUPPRESSED', 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "SUPPRESSED on an unsuppress",
                        "{'commandId': 'c', 'type': 'unsuppress', 'email': 'a@example.com', "
                                + "'outcome': 'SUPPRESSED', 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "GIVEN_UP without the server's reply",
                        "{'commandId': 'g', 'type': 'email', 'email': 'a@example.com', 'outcome': 'GIVEN_UP', "
                                + "'count': 2, 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "GIVEN_UP of a command",
                        "{'commandId': 'g', 'type': 'subscribe', 'email': 'a@example.com', 'outcome': 'GIVEN_UP', "
                                + "'count': 2, 'reason': '554 no', 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "a count on a command's event",
                        "{'commandId': 'c', 'type': 'subscribe', 'email': 'a@example.com', 'outcome': 'SUBSCRIBED', "
                                + "'count': 1, 'at': '2026-11-24T23:06:26.52Z'}"),
                Arguments.of(
                        "UNSUPPRESSED on a bounce",
                        "{'commandId': 'c', 'type': 'bounce', 'email': 'a@example.com', 'outcome': 'UNSUPPRESSED', "
                                + "'source': 'dsn', 'at': '2026-11-24T23:06:26.52Z'}"));
    }

    @ParameterizedTest(name = "event with {0} is invalid")
    @MethodSource("invalidEvents")
    void eventSchemaRejectsWhatTheServiceNeverSends(String what, String event) {
        assertInvalid(Payload.EVENT, json(event));
    }

    @Test
    void rejectedEventMayCarryWhateverWasReadOfTypeAndEmail() {
        assertValid(
                Payload.EVENT,
                json("{'commandId': 'c', 'type': 'Resubscribe', 'email': 'not an address', "
                        + "'outcome': 'REJECTED', 'reason': 'unknown type', 'at': '2026-11-24T23:06:26.52Z'}"));
    }

    static Stream<Arguments> invalidReplies() {
        return Stream.of(
                Arguments.of(
                        "a status outside the table",
                        "{'email': 'a@example.com', 'message': null, "
                                + "'subscribed': false, 'numberOfEmailsSent': 0, 'status': 'PAUSED'}"),
                Arguments.of(
                        "NOT_FOUND that claims a subscription",
                        "{'email': 'a@example.com', 'message': null, "
                                + "'subscribed': true, 'numberOfEmailsSent': 0, 'status': 'NOT_FOUND'}"),
                Arguments.of(
                        "UNAVAILABLE without an error",
                        "{'email': 'a@example.com', 'message': null, "
                                + "'subscribed': false, 'numberOfEmailsSent': 0, 'status': 'UNAVAILABLE'}"),
                Arguments.of(
                        "INVALID_REQUEST with an email",
                        "{'email': 'a@example.com', 'message': null, "
                                + "'subscribed': false, 'numberOfEmailsSent': 0, 'status': 'INVALID_REQUEST', 'error': 'x'}"),
                Arguments.of(
                        "RUNNING without an email",
                        "{'message': 'Hi', 'subscribed': true, " + "'numberOfEmailsSent': 1, 'status': 'RUNNING'}"),
                Arguments.of(
                        "RUNNING with an error",
                        "{'email': 'a@example.com', 'message': 'Hi', "
                                + "'subscribed': true, 'numberOfEmailsSent': 1, 'status': 'RUNNING', 'error': 'x'}"),
                Arguments.of(
                        "no message field",
                        "{'email': 'a@example.com', 'subscribed': true, "
                                + "'numberOfEmailsSent': 1, 'status': 'RUNNING'}"),
                Arguments.of(
                        "a negative count",
                        "{'email': 'a@example.com', 'message': 'Hi', "
                                + "'subscribed': true, 'numberOfEmailsSent': -1, 'status': 'RUNNING'}"));
    }

    @ParameterizedTest(name = "reply with {0} is invalid")
    @MethodSource("invalidReplies")
    void replySchemaRejectsWhatTheServiceNeverSends(String what, String reply) {
        assertInvalid(Payload.DETAILS_REPLY, json(reply));
    }

    @Test
    void detailsRequestNeedsAnEmailAndAllowsUnknownFields() {
        assertValid(Payload.DETAILS_REQUEST, json("{'email': ' Alice@Example.com', 'requestId': null, 'x': [1]}"));
        assertInvalid(Payload.DETAILS_REQUEST, json("{'requestId': 'r1'}"));
        assertInvalid(Payload.DETAILS_REQUEST, json("{'email': 'a@example.com', 'requestId': 7}"));
        assertInvalid(Payload.DETAILS_REQUEST, json("{'email': 'a@example.com', 'replyTo': 'no spaces allowed'}"));
    }
}
