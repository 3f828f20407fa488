package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandParserTest {

    /** The shipped default of {@code commands.max-record-bytes}: 16 KiB. */
    private static final int DEFAULT_LIMIT = 16 * 1024;

    private static final String TOPIC = "commands";
    private static final int PARTITION = 3;
    private static final long OFFSET = 42;
    private static final String FALLBACK_ID = "commands-3-42";

    private final CommandParser parser = new CommandParser(DEFAULT_LIMIT);

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ConsumerRecord<>(TOPIC, PARTITION, OFFSET, key, value);
    }

    private static ConsumerRecord<byte[], byte[]> record(String value) {
        return record(null, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private Command valid(ConsumerRecord<byte[], byte[]> record) {
        ParsedCommand parsed = parser.parse(record);
        return assertInstanceOf(ParsedCommand.Valid.class, parsed, () -> "expected valid, was " + parsed)
                .command();
    }

    private Command valid(String value) {
        return valid(record(value));
    }

    private static ParsedCommand.Rejected rejected(CommandParser parser, ConsumerRecord<byte[], byte[]> record) {
        ParsedCommand parsed = parser.parse(record);
        return assertInstanceOf(ParsedCommand.Rejected.class, parsed, () -> "expected rejected, was " + parsed);
    }

    private ParsedCommand.Rejected rejected(String value) {
        return rejected(parser, record(value));
    }

    private static void assertReasonContains(ParsedCommand.Rejected rejected, String... parts) {
        for (String part : parts) {
            assertTrue(
                    rejected.reason().contains(part),
                    () -> "reason '" + rejected.reason() + "' should contain '" + part + "'");
        }
    }

    // ---------------------------------------------------------------- valid forms

    @Test
    void subscribeWithEmailAndCommandIdIsASubscribeCommand() {
        Command command = valid(json("{'type': 'subscribe', 'email': 'alice@example.com', 'commandId': 'c-1'}"));
        assertEquals(new Command.Subscribe(new EmailAddress("alice@example.com"), "c-1"), command);
        assertEquals("subscribe", command.type());
    }

    @Test
    void unsubscribeWithEmailAndCommandIdIsAnUnsubscribeCommand() {
        Command command = valid(json("{'type': 'unsubscribe', 'email': 'alice@example.com', 'commandId': 'c-2'}"));
        assertEquals(new Command.Unsubscribe(new EmailAddress("alice@example.com"), "c-2"), command);
        assertEquals("unsubscribe", command.type());
    }

    static Stream<String> subscribeSpellings() {
        return Stream.of("subscribe", "SUBSCRIBE", "Subscribe", "sUbScRiBe", " subscribe ");
    }

    static Stream<String> unsubscribeSpellings() {
        return Stream.of("unsubscribe", "UNSUBSCRIBE", "UnSubscribe");
    }

    @ParameterizedTest(name = "type \"{0}\" is subscribe")
    @MethodSource("subscribeSpellings")
    void typeIsCaseInsensitiveForSubscribe(String type) {
        Command command = valid(json("{'type': '" + type + "', 'email': 'a@example.com'}"));
        assertInstanceOf(Command.Subscribe.class, command);
        assertEquals("subscribe", command.type());
    }

    @ParameterizedTest(name = "type \"{0}\" is unsubscribe")
    @MethodSource("unsubscribeSpellings")
    void typeIsCaseInsensitiveForUnsubscribe(String type) {
        Command command = valid(json("{'type': '" + type + "', 'email': 'a@example.com'}"));
        assertInstanceOf(Command.Unsubscribe.class, command);
        assertEquals("unsubscribe", command.type());
    }

    @Test
    void emailIsTrimmedAndLowerCased() {
        Command command = valid(json("{'type': 'subscribe', 'email': '  Alice+News@Example.COM  '}"));
        assertEquals("alice+news@example.com", command.email().value());
    }

    @Test
    void missingCommandIdDefaultsToTopicPartitionOffset() {
        assertEquals(
                FALLBACK_ID,
                valid(json("{'type': 'subscribe', 'email': 'a@example.com'}")).commandId());
    }

    @Test
    void nullCommandIdDefaultsToTopicPartitionOffset() {
        assertEquals(
                FALLBACK_ID,
                valid(json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': null}"))
                        .commandId());
    }

    @Test
    void blankCommandIdDefaultsToTopicPartitionOffset() {
        assertEquals(
                FALLBACK_ID,
                valid(json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': '  '}"))
                        .commandId());
    }

    @Test
    void unknownFieldsAreIgnored() {
        Command command = valid(json("{'source': 'web', 'type': 'subscribe', 'meta': {'ip': [1, 2]}, "
                + "'email': 'a@example.com', 'count': 3, 'flag': true, 'nothing': null, 'commandId': 'c-9'}"));
        assertEquals(new Command.Subscribe(new EmailAddress("a@example.com"), "c-9"), command);
    }

    @Test
    void fieldOrderAndSurroundingWhitespaceDoNotMatter() {
        Command command = valid(
                "\n  " + json("{ 'email' : 'a@example.com' ,\n 'commandId':'x', 'type':'unsubscribe' }") + "\r\n");
        assertEquals(new Command.Unsubscribe(new EmailAddress("a@example.com"), "x"), command);
    }

    @Test
    void aRecordKeyIsAllowedAndDoesNotChangeTheCommand() {
        Command command = valid(record(
                "anything".getBytes(StandardCharsets.UTF_8),
                json("{'type': 'subscribe', 'email': 'a@example.com'}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Command.Subscribe(new EmailAddress("a@example.com"), FALLBACK_ID), command);
    }

    @Test
    void nonAsciiUtf8TextIsReadAsUtf8() {
        Command command = valid(json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': 'café-☕'}"));
        assertEquals("café-☕", command.commandId());
    }

    // ---------------------------------------------------------------- bounce, complaint, unsuppress

    @Test
    void bounceWithSourceAndDiagnosticIsASuppressCommandForABounce() {
        Command command = valid(json("{'type': 'bounce', 'email': 'Bob@Example.com', 'source': 'dsn', "
                + "'diagnostic': 'smtp; 550 5.1.1 <bob@example.com>: user unknown', 'commandId': 'b-1'}"));
        assertEquals(
                new Command.Suppress(
                        new EmailAddress("bob@example.com"),
                        "b-1",
                        SuppressionReason.BOUNCE,
                        ReportSource.DSN,
                        Optional.of("smtp; 550 5.1.1 <bob@example.com>: user unknown")),
                command);
        assertEquals("bounce", command.type());
    }

    @Test
    void complaintWithoutDiagnosticIsASuppressCommandForAComplaint() {
        Command command = valid(json("{'type': 'Complaint', 'email': 'bob@example.com', 'source': 'arf'}"));
        assertEquals(
                new Command.Suppress(
                        new EmailAddress("bob@example.com"),
                        FALLBACK_ID,
                        SuppressionReason.COMPLAINT,
                        ReportSource.ARF,
                        Optional.empty()),
                command);
        assertEquals("complaint", command.type());
    }

    static Stream<String> sources() {
        return ReportSource.wireNames().stream();
    }

    @ParameterizedTest(name = "source \"{0}\" is accepted")
    @MethodSource("sources")
    void everyDocumentedSourceIsAccepted(String source) {
        Command.Suppress command = assertInstanceOf(
                Command.Suppress.class,
                valid(json("{'type': 'bounce', 'email': 'bob@example.com', 'source': '" + source + "'}")));
        assertEquals(source, command.source().wireName());
    }

    @Test
    void aNullOrBlankDiagnosticIsNone() {
        for (String diagnostic : new String[] {"null", "''", "'  '"}) {
            Command.Suppress command = assertInstanceOf(
                    Command.Suppress.class,
                    valid(json("{'type': 'bounce', 'email': 'b@example.com', 'source': 'ses', 'diagnostic': "
                            + diagnostic + "}")));
            assertEquals(Optional.empty(), command.diagnostic(), diagnostic);
        }
    }

    @Test
    void aDiagnosticOfTheLimitInCodePointsIsAccepted() {
        // 1000 emoji: 1000 code points, 2000 UTF-16 chars; counted as JSON Schema counts.
        String diagnostic = "\uD83D\uDE00".repeat(Command.Suppress.MAX_DIAGNOSTIC);
        Command.Suppress command = assertInstanceOf(
                Command.Suppress.class,
                valid(json("{'type': 'bounce', 'email': 'b@example.com', 'source': 'webhook', 'diagnostic': '"
                        + diagnostic + "'}")));
        assertEquals(Optional.of(diagnostic), command.diagnostic());
    }

    @Test
    void unsuppressIsAnUnsuppressCommand() {
        Command command = valid(json("{'type': 'UNSUPPRESS', 'email': 'bob@example.com', 'commandId': 'ops-1'}"));
        assertEquals(new Command.Unsuppress(new EmailAddress("bob@example.com"), "ops-1"), command);
        assertEquals("unsuppress", command.type());
    }

    /** A bounce or complaint with one bad field: the value, and a part of the reason. */
    static Stream<Arguments> badReportFields() {
        return Stream.of(
                Arguments.of("{'type': 'bounce', 'email': 'b@example.com'}", "missing field 'source' (smtp, dsn"),
                Arguments.of(
                        "{'type': 'complaint', 'email': 'b@example.com', 'source': null}", "missing field 'source'"),
                Arguments.of(
                        "{'type': 'bounce', 'email': 'b@example.com', 'source': 3}",
                        "'source' must be a string, was a number"),
                Arguments.of(
                        "{'type': 'bounce', 'email': 'b@example.com', 'source': 'mailgun'}",
                        "unknown source 'mailgun'"),
                Arguments.of("{'type': 'bounce', 'email': 'b@example.com', 'source': 'DSN'}", "unknown source 'DSN'"),
                Arguments.of("{'type': 'bounce', 'email': 'b@example.com', 'source': ' dsn'}", "unknown source ' dsn'"),
                Arguments.of(
                        "{'type': 'bounce', 'email': 'b@example.com', 'source': 'dsn', 'diagnostic': ['x']}",
                        "'diagnostic' must be a string, was an array"),
                Arguments.of(
                        "{'type': 'complaint', 'email': 'b@example.com', 'source': 'arf', 'diagnostic': '"
                                + "d".repeat(Command.Suppress.MAX_DIAGNOSTIC + 1) + "'}",
                        "'diagnostic' is 1001 characters, over 1000"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badReportFields")
    void aBounceOrComplaintWithABadFieldIsRejectedCarryingWhatWasRead(String value, String reasonPart) {
        ParsedCommand.Rejected rejected = rejected(json(value));
        assertReasonContains(rejected, reasonPart);
        assertEquals("b@example.com", rejected.email());
        assertTrue(rejected.type().equals("bounce") || rejected.type().equals("complaint"), rejected.type());
    }

    @Test
    void sourceAndDiagnosticAreIgnoredOnOtherTypes() {
        assertEquals(
                new Command.Unsuppress(new EmailAddress("b@example.com"), FALLBACK_ID),
                valid(json("{'type': 'unsuppress', 'email': 'b@example.com', 'source': 7, 'diagnostic': []}")));
    }

    // ---------------------------------------------------------------- record-level rejections

    @Test
    void nullValueTombstoneIsRejectedWithOnlyTheFallbackId() {
        ParsedCommand.Rejected rejected = rejected(null);
        assertReasonContains(rejected, "value is null", "tombstone");
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), FALLBACK_ID, null, null), rejected);
    }

    @Test
    void emptyValueIsRejectedAsEmpty() {
        ParsedCommand.Rejected rejected = rejected("");
        assertReasonContains(rejected, "value is empty");
        assertEquals(FALLBACK_ID, rejected.commandId());
    }

    static Stream<String> whitespaceOnlyValues() {
        return Stream.of(" ", "   ", "\n", "\t \r\n ");
    }

    @ParameterizedTest(name = "whitespace-only value {index} is rejected as empty")
    @MethodSource("whitespaceOnlyValues")
    void whitespaceOnlyValueIsRejectedAsEmpty(String value) {
        assertReasonContains(rejected(value), "value is empty");
    }

    @Test
    void invalidUtf8IsRejectedRatherThanReplaced() {
        // '{' then 0xC3 0x28: a two-byte sequence whose continuation byte is invalid.
        byte[] value = {'{', (byte) 0xC3, (byte) 0x28, '}'};
        ParsedCommand.Rejected rejected = rejected(parser, record(null, value));
        assertReasonContains(rejected, "not valid UTF-8");
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), FALLBACK_ID, null, null), rejected);
    }

    @Test
    void invalidUtf8InsideAnOtherwiseValidCommandIsRejected() {
        byte[] prefix = json("{'type': 'subscribe', 'email': 'a").getBytes(StandardCharsets.UTF_8);
        byte[] suffix = json("@example.com'}").getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[prefix.length + 1 + suffix.length];
        System.arraycopy(prefix, 0, value, 0, prefix.length);
        value[prefix.length] = (byte) 0xFF; // never valid in UTF-8
        System.arraycopy(suffix, 0, value, prefix.length + 1, suffix.length);
        assertReasonContains(rejected(parser, record(null, value)), "not valid UTF-8");
    }

    static Stream<String> notJsonValues() {
        return Stream.of(
                "subscribe alice@example.com",
                "{type: subscribe, email: alice@example.com}",
                json("{'type': 'subscribe', 'email': 'a@example.com'"),
                json("{'type': 'subscribe' 'email': 'a@example.com'}"),
                "<command type='subscribe'/>");
    }

    @ParameterizedTest(name = "not JSON: {0}")
    @MethodSource("notJsonValues")
    void valueThatIsNotJsonIsRejected(String value) {
        ParsedCommand.Rejected rejected = rejected(value);
        assertReasonContains(rejected, "value is not JSON");
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), FALLBACK_ID, null, null), rejected);
    }

    @Test
    void jsonObjectFollowedByTrailingContentIsRejectedAsNotJson() {
        // Two commands in one value (or an object followed by garbage) is not one JSON command.
        ParsedCommand.Rejected rejected = rejected(json("{'type': 'subscribe', 'email': 'a@example.com'}"
                + "{'type': 'unsubscribe', 'email': 'a@example.com'}"));
        assertReasonContains(rejected, "not JSON");
    }

    static Stream<Arguments> nonObjectJson() {
        return Stream.of(
                Arguments.of("[{\"type\": \"subscribe\", \"email\": \"a@example.com\"}]", "an array"),
                Arguments.of("[]", "an array"),
                Arguments.of("\"subscribe a@example.com\"", "a string"),
                Arguments.of("42", "a number"),
                Arguments.of("-1.5e3", "a number"),
                Arguments.of("true", "a boolean"),
                Arguments.of("null", "null"));
    }

    @ParameterizedTest(name = "JSON {0} is not an object: was {1}")
    @MethodSource("nonObjectJson")
    void jsonThatIsNotAnObjectIsRejectedNamingWhatItWas(String value, String kind) {
        ParsedCommand.Rejected rejected = rejected(value);
        assertReasonContains(rejected, "must be a JSON object", "was " + kind);
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), FALLBACK_ID, null, null), rejected);
    }

    // ---------------------------------------------------------------- field rejections

    @Test
    void missingTypeIsRejectedCarryingCommandIdAndEmail() {
        ParsedCommand.Rejected rejected = rejected(json("{'email': 'a@example.com', 'commandId': 'c-1'}"));
        assertReasonContains(
                rejected,
                "missing field 'type'",
                "subscribe, unsubscribe, confirm, bounce, complaint, unsuppress or erase");
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), "c-1", null, "a@example.com"), rejected);
    }

    @Test
    void nullTypeIsRejectedAsMissing() {
        ParsedCommand.Rejected rejected = rejected(json("{'type': null, 'email': 'a@example.com'}"));
        assertReasonContains(rejected, "missing field 'type'");
        assertEquals(FALLBACK_ID, rejected.commandId());
    }

    static Stream<Arguments> nonStringTypes() {
        return Stream.of(
                Arguments.of("1", "a number"),
                Arguments.of("true", "a boolean"),
                Arguments.of("['subscribe']", "an array"),
                Arguments.of("{'name': 'subscribe'}", "an object"));
    }

    @ParameterizedTest(name = "type {0} is rejected: was {1}")
    @MethodSource("nonStringTypes")
    void typeThatIsNotAStringIsRejectedNamingWhatItWas(String type, String kind) {
        ParsedCommand.Rejected rejected =
                rejected(json("{'type': " + type + ", 'email': 'a@example.com', 'commandId': 'c-1'}"));
        assertReasonContains(rejected, "field 'type' must be a string", "was " + kind);
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), "c-1", null, "a@example.com"), rejected);
    }

    static Stream<String> unknownTypes() {
        return Stream.of("resubscribe", "subscribed", "SUB", "", "un subscribe");
    }

    @ParameterizedTest(name = "unknown type \"{0}\"")
    @MethodSource("unknownTypes")
    void unknownTypeIsRejectedQuotingItAndCarryingTheReadableFields(String type) {
        ParsedCommand.Rejected rejected =
                rejected(json("{'type': '" + type + "', 'email': 'a@example.com', 'commandId': 'c-1'}"));
        assertReasonContains(
                rejected,
                "unknown type '" + type + "'",
                "expected subscribe, unsubscribe, confirm, bounce, complaint, unsuppress or erase");
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), "c-1", type, "a@example.com"), rejected);
    }

    @Test
    void missingEmailIsRejectedCarryingTheNormalisedType() {
        ParsedCommand.Rejected rejected = rejected(json("{'type': 'SUBSCRIBE', 'commandId': 'c-1'}"));
        assertReasonContains(rejected, "missing field 'email'");
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), "c-1", "subscribe", null), rejected);
    }

    @Test
    void nullEmailIsRejectedAsMissing() {
        ParsedCommand.Rejected rejected = rejected(json("{'type': 'unsubscribe', 'email': null}"));
        assertReasonContains(rejected, "missing field 'email'");
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), FALLBACK_ID, "unsubscribe", null), rejected);
    }

    static Stream<Arguments> nonStringEmails() {
        return Stream.of(
                Arguments.of("42", "a number"),
                Arguments.of("false", "a boolean"),
                Arguments.of("['a@example.com']", "an array"),
                Arguments.of("{'address': 'a@example.com'}", "an object"));
    }

    @ParameterizedTest(name = "email {0} is rejected: was {1}")
    @MethodSource("nonStringEmails")
    void emailThatIsNotAStringIsRejectedNamingWhatItWas(String email, String kind) {
        ParsedCommand.Rejected rejected =
                rejected(json("{'type': 'unsubscribe', 'email': " + email + ", 'commandId': 'c-1'}"));
        assertReasonContains(rejected, "field 'email' must be a string", "was " + kind);
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), "c-1", "unsubscribe", null), rejected);
    }

    static Stream<Arguments> invalidEmails() {
        return Stream.of(
                Arguments.of("", "email is empty"),
                Arguments.of("   ", "email is empty"),
                Arguments.of("alice.example.com", "exactly one '@'"),
                Arguments.of("a@b@example.com", "exactly one '@'"),
                Arguments.of("alice smith@example.com", "space or control character"),
                Arguments.of("alice\\t@example.com", "space or control character"),
                Arguments.of("a".repeat(65) + "@example.com", "local part is 65 characters"),
                Arguments.of("a".repeat(64) + "@" + "d".repeat(186) + ".com", "email is 255 characters"),
                Arguments.of("@example.com", "needs a local part and a domain"),
                Arguments.of("alice@", "needs a local part and a domain"),
                Arguments.of("alice@example..com", "domain is malformed"));
    }

    @ParameterizedTest(name = "invalid email \"{0}\": {1}")
    @MethodSource("invalidEmails")
    void invalidEmailIsRejectedWithEmailAddressReasonCarryingTheRawEmail(String email, String reasonPart) {
        ParsedCommand.Rejected rejected =
                rejected(json("{'type': 'Subscribe', 'email': '" + email + "', 'commandId': 'c-1'}"));
        assertReasonContains(rejected, "invalid email: ", reasonPart);
        String rawEmail = email.replace("\\t", "\t");
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), "c-1", "subscribe", rawEmail), rejected);
    }

    static Stream<Arguments> nonStringCommandIds() {
        return Stream.of(
                Arguments.of("42", "a number"),
                Arguments.of("true", "a boolean"),
                Arguments.of("['c-1']", "an array"),
                Arguments.of("{'id': 'c-1'}", "an object"));
    }

    @ParameterizedTest(name = "commandId {0} is rejected: was {1}")
    @MethodSource("nonStringCommandIds")
    void commandIdThatIsNotAStringIsRejectedNamingWhatItWas(String commandId, String kind) {
        ParsedCommand.Rejected rejected =
                rejected(json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': " + commandId + "}"));
        assertReasonContains(rejected, "field 'commandId' must be a string", "was " + kind);
        assertEquals(FALLBACK_ID, rejected.commandId());
    }

    @Test
    void commandIdThatIsNotAStringStillCarriesTheReadableTypeAndEmail() {
        // ParsedCommand.Rejected: "What could be read of a bad record ... fields are null when unreadable".
        ParsedCommand.Rejected rejected =
                rejected(json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': 42}"));
        assertEquals(
                new ParsedCommand.Rejected(rejected.reason(), FALLBACK_ID, "subscribe", "a@example.com"), rejected);
    }

    // ---------------------------------------------------------------- size limit (key + value bytes)

    /** A valid command of exactly {@code size} UTF-8 bytes, padded with an ignored field. */
    private static byte[] commandOfSize(int size) {
        String head = json("{'type': 'subscribe', 'email': 'a@example.com', 'pad': '");
        String tail = "\"}";
        int padding = size - head.length() - tail.length();
        byte[] bytes = (head + "x".repeat(padding) + tail).getBytes(StandardCharsets.UTF_8);
        assertEquals(size, bytes.length);
        return bytes;
    }

    @Test
    void valueOfExactlyTheDefault16KiBLimitIsAccepted() {
        assertInstanceOf(Command.Subscribe.class, valid(record(null, commandOfSize(DEFAULT_LIMIT))));
    }

    @Test
    void valueOneByteOverTheDefault16KiBLimitIsRejectedWithSizeAndLimit() {
        ParsedCommand.Rejected rejected = rejected(parser, record(null, commandOfSize(DEFAULT_LIMIT + 1)));
        assertReasonContains(rejected, "record is 16385 bytes", "over the limit of 16384");
        assertEquals(new ParsedCommand.Rejected(rejected.reason(), FALLBACK_ID, null, null), rejected);
    }

    @Test
    void keyAndValueTogetherExactlyAtTheLimitAreAccepted() {
        byte[] key = "k".repeat(100).getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(Command.Subscribe.class, valid(record(key, commandOfSize(DEFAULT_LIMIT - 100))));
    }

    @Test
    void keyCountsTowardsTheLimitSoKeyPlusValueOverItIsRejected() {
        byte[] key = "k".repeat(100).getBytes(StandardCharsets.UTF_8);
        // The value alone fits; only the key pushes the record over.
        ParsedCommand.Rejected rejected = rejected(parser, record(key, commandOfSize(DEFAULT_LIMIT - 99)));
        assertReasonContains(rejected, "record is 16385 bytes", "over the limit of 16384");
    }

    @Test
    void configuredLimitIsUsedInsteadOfTheDefault() {
        CommandParser small = new CommandParser(60);
        assertInstanceOf(ParsedCommand.Valid.class, small.parse(record(null, commandOfSize(60))));
        ParsedCommand.Rejected rejected = rejected(small, record(null, commandOfSize(61)));
        assertReasonContains(rejected, "record is 61 bytes", "over the limit of 60");
    }

    @Test
    void sizeIsCountedInBytesNotCharacters() {
        // 'é' is two bytes in UTF-8: 60 characters but 61 bytes.
        CommandParser small = new CommandParser(60);
        String head = json("{'type': 'subscribe', 'email': 'a@example.com', 'pad': '");
        String value = head + "é" + "x".repeat(60 - head.length() - 3) + "\"}";
        assertEquals(60, value.length());
        ParsedCommand.Rejected rejected = rejected(small, record(null, value.getBytes(StandardCharsets.UTF_8)));
        assertReasonContains(rejected, "record is 61 bytes");
    }

    @Test
    void oversizeIsReportedEvenWhenTheValueIsAlsoNotJson() {
        byte[] value = "x".repeat(DEFAULT_LIMIT + 10).getBytes(StandardCharsets.UTF_8);
        assertReasonContains(rejected(parser, record(null, value)), "over the limit of 16384");
    }

    @Test
    void rejectedCommandsHaveNullTypeAndEmailWhenNothingCouldBeRead() {
        ParsedCommand.Rejected rejected = rejected("not json at all");
        assertNull(rejected.type());
        assertNull(rejected.email());
    }
}
