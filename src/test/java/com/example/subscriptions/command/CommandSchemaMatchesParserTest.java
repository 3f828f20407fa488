package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.contract.ContractSchemas;
import com.example.subscriptions.contract.Payload;
import com.example.subscriptions.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command schema against the parser, on the inputs {@link CommandParserTest} covers: whatever the parser rejects,
 * the schema rejects too, and whatever it accepts, the schema accepts, except in the corners the README lists under
 * "What the schema cannot say". Those corners are asserted here as well, so the list stays true.
 */
class CommandSchemaMatchesParserTest {

    private static final int DEFAULT_LIMIT = 16 * 1024;

    private final CommandParser parser = new CommandParser(DEFAULT_LIMIT);

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String command(String type, String email) {
        return json("{'type': " + type + ", 'email': " + email + ", 'commandId': 'c-1'}");
    }

    private ParsedCommand parse(byte[] value) {
        return parser.parse(new ConsumerRecord<>("commands", 0, 0L, null, value));
    }

    private ParsedCommand parse(String value) {
        return parse(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> schemaViolations(String value) {
        return ContractSchemas.violations(Payload.COMMAND, value);
    }

    // ---------------------------------------------------------------- JSON documents: both agree

    static Stream<Arguments> invalidCommands() {
        Stream<Arguments> notObjects =
                CommandParserTest.nonObjectJson().map(a -> Arguments.of("not an object: " + a.get()[1], a.get()[0]));
        Stream<Arguments> typeNotString = CommandParserTest.nonStringTypes()
                .map(a -> Arguments.of("type is " + a.get()[1], command(json((String) a.get()[0]), "'a@example.com'")));
        Stream<Arguments> unknownType = CommandParserTest.unknownTypes()
                .map(type -> Arguments.of("unknown type '" + type + "'", command("'" + type + "'", "'a@example.com'")));
        Stream<Arguments> missing = Stream.of(
                Arguments.of("no type", json("{'email': 'a@example.com', 'commandId': 'c-1'}")),
                Arguments.of("type null", command("null", "'a@example.com'")),
                Arguments.of("no email", json("{'type': 'SUBSCRIBE', 'commandId': 'c-1'}")),
                Arguments.of("email null", command("'unsubscribe'", "null")));
        Stream<Arguments> emailNotString = CommandParserTest.nonStringEmails()
                .map(a -> Arguments.of("email is " + a.get()[1], command("'unsubscribe'", json((String) a.get()[0]))));
        Stream<Arguments> invalidEmail = CommandParserTest.invalidEmails()
                .map(a -> Arguments.of("invalid email: " + a.get()[1], command("'Subscribe'", "'" + a.get()[0] + "'")));
        Stream<Arguments> commandIdNotString = CommandParserTest.nonStringCommandIds()
                .map(a -> Arguments.of(
                        "commandId is " + a.get()[1],
                        json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': " + a.get()[0] + "}")));
        Stream<Arguments> badReportField = CommandParserTest.badReportFields()
                .map(a -> Arguments.of("bounce or complaint: " + a.get()[1], json((String) a.get()[0])));
        return Stream.of(
                        notObjects,
                        typeNotString,
                        unknownType,
                        missing,
                        emailNotString,
                        invalidEmail,
                        commandIdNotString,
                        badReportField)
                .flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}: rejected by both")
    @MethodSource("invalidCommands")
    void whatTheParserRejectsTheSchemaRejects(String what, String value) {
        assertInstanceOf(ParsedCommand.Rejected.class, parse(value), "the parser accepted " + value);
        assertFalse(schemaViolations(value).isEmpty(), "the schema accepted " + value);
    }

    static Stream<Arguments> validCommands() {
        Stream<String> spellings = Stream.concat(
                        CommandParserTest.subscribeSpellings(), CommandParserTest.unsubscribeSpellings())
                .map(type -> command("'" + type + "'", "'a@example.com'"));
        return Stream.of(
                        spellings,
                        Stream.of(
                                json("{'type': 'subscribe', 'email': '  Alice+News@Example.COM  '}"),
                                json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': null}"),
                                json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': '  '}"),
                                json(
                                        "{'source': 'web', 'type': 'subscribe', 'meta': {'ip': [1, 2]}, "
                                                + "'email': 'a@example.com', 'count': 3, 'flag': true, 'nothing': null, 'commandId': 'c-9'}"),
                                json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': 'café-☕'}"),
                                json("{'type': 'subscribe', 'email': '" + "a".repeat(64) + "@" + "d".repeat(185)
                                        + ".com'}")),
                        reportCommands())
                .flatMap(s -> s)
                .map(Arguments::of);
    }

    private static Stream<String> reportCommands() {
        Stream<String> everySource = CommandParserTest.sources()
                .map(source -> json("{'type': 'Bounce', 'email': 'b@example.com', 'source': '" + source + "'}"));
        return Stream.concat(
                everySource,
                Stream.of(
                        json("{'type': 'complaint', 'email': 'b@example.com', 'source': 'arf', 'diagnostic': 'abuse'}"),
                        json("{'type': 'bounce', 'email': 'b@example.com', 'source': 'ses', 'diagnostic': null}"),
                        json("{'type': 'bounce', 'email': 'b@example.com', 'source': 'ses', 'diagnostic': ' '}"),
                        json("{'type': 'bounce', 'email': 'b@example.com', 'source': 'dsn', 'diagnostic': '"
                                + "\uD83D\uDE00".repeat(1000) + "'}"),
                        json("{'type': 'unsuppress', 'email': 'b@example.com'}"),
                        json("{'type': 'unsuppress', 'email': 'b@example.com', 'source': 42, 'diagnostic': [1]}"),
                        json("{'type': 'subscribe', 'email': 'b@example.com', 'source': 'not checked here'}")));
    }

    @ParameterizedTest(name = "{0}: accepted by both")
    @MethodSource("validCommands")
    void whatTheParserAcceptsTheSchemaAccepts(String value) {
        assertInstanceOf(ParsedCommand.Valid.class, parse(value), "the parser rejected " + value);
        List<String> violations = schemaViolations(value);
        assertTrue(violations.isEmpty(), () -> "the schema rejected " + value + ": " + violations);
    }

    // ---------------------------------------------------------------- not one JSON document: no schema gets to judge

    static Stream<Arguments> notOneJsonDocument() {
        Stream<Arguments> listed = Stream.of(
                Arguments.of("a tombstone", null),
                Arguments.of("empty", new byte[0]),
                Arguments.of("not UTF-8", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}),
                Arguments.of(
                        "two JSON values",
                        bytes(json("{'type': 'subscribe', 'email': 'a@example.com'}"
                                + "{'type': 'unsubscribe', 'email': 'a@example.com'}"))));
        Stream<Arguments> blank =
                CommandParserTest.whitespaceOnlyValues().map(v -> Arguments.of("whitespace only", bytes(v)));
        Stream<Arguments> notJson = CommandParserTest.notJsonValues().map(v -> Arguments.of("not JSON", bytes(v)));
        return Stream.of(listed, blank, notJson).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}: the parser rejects it, and it is not one JSON object to validate")
    @MethodSource("notOneJsonDocument")
    void recordsThatAreNotOneJsonObjectAreRejectedBeforeAnySchemaApplies(String what, byte[] value) {
        assertInstanceOf(ParsedCommand.Rejected.class, parse(value));
        assertFalse(readsAsOneJsonObject(value), "a JSON reader would hand this to the schema");
    }

    private static boolean readsAsOneJsonObject(byte[] value) {
        try {
            return value != null && Json.MAPPER.readTree(value).isObject();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- the documented differences

    @Test
    void recordSizeIsNotTheSchemasToJudge() {
        String padded = json("{'type': 'subscribe', 'email': 'a@example.com', 'pad': '" + "p".repeat(17_000) + "'}");
        assertInstanceOf(ParsedCommand.Rejected.class, parse(padded));
        assertTrue(schemaViolations(padded).isEmpty());
    }

    @Test
    void lengthLimitsCountJavaCharsAfterLowerCasingWhereTheSchemaCountsCodePointsAsSent() {
        // 40 emoji: 40 code points for JSON Schema, 80 UTF-16 chars for the service's 64.
        String emoji = command("'subscribe'", "'" + "\uD83D\uDE00".repeat(40) + "@example.com'");
        // U+0130 lower-cases to two chars (i and a combining dot): 64 as sent, 65 once normalised.
        String dottedCapitalI = command("'subscribe'", "'" + "a".repeat(63) + "\u0130@example.com'");
        for (String value : List.of(emoji, dottedCapitalI)) {
            assertInstanceOf(ParsedCommand.Rejected.class, parse(value), value);
            assertTrue(schemaViolations(value).isEmpty(), value);
        }
    }

    @Test
    void theSchemaIsStricterAboutWhitespaceAroundTypeAndEmail() {
        // The service trims before it counts; the schema counts the spaces too.
        String spacedLongEmail =
                command("'subscribe'", "'" + " ".repeat(10) + "a".repeat(64) + "@" + "d".repeat(181) + ".com'");
        // The service trims any Unicode whitespace; the schema allows only ASCII whitespace around the values.
        String emSpaceType = command("'\u2003subscribe'", "'a@example.com'");
        String ideographicSpaceEmail = command("'subscribe'", "'\u3000a@example.com'");
        for (String value : List.of(spacedLongEmail, emSpaceType, ideographicSpaceEmail)) {
            assertInstanceOf(ParsedCommand.Valid.class, parse(value), value);
            assertFalse(schemaViolations(value).isEmpty(), value);
        }
    }
}
