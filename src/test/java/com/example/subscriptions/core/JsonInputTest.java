package com.example.subscriptions.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonInputTest {

    private static final String EXAMPLE = "{\"email\": \"alice@example.com\"}";

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of(null, "value is null (a tombstone), expected a JSON object like " + EXAMPLE),
                Arguments.of(new byte[0], "value is empty, expected a JSON object like " + EXAMPLE),
                Arguments.of(bytes(" \n\t"), "value is empty, expected a JSON object like " + EXAMPLE),
                Arguments.of(new byte[] {'{', (byte) 0xC3, '}'}, "value is not valid UTF-8"),
                Arguments.of(bytes("[1, 2]"), "value must be a JSON object like " + EXAMPLE + ", was an array"),
                Arguments.of(bytes("\"alice\""), "value must be a JSON object like " + EXAMPLE + ", was a string"),
                Arguments.of(bytes("null"), "value must be a JSON object like " + EXAMPLE + ", was null"));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void eachWayAValueCanBeWrongHasItsReason(byte[] value, String reason) {
        assertEquals(new JsonInput.Parsed.Invalid(reason), JsonInput.object(value, EXAMPLE));
    }

    @ParameterizedTest
    @MethodSource("notJson")
    void textThatIsNotJsonSaysWhereTheParserStopped(String text) {
        JsonInput.Parsed.Invalid invalid =
                assertInstanceOf(JsonInput.Parsed.Invalid.class, JsonInput.object(bytes(text), EXAMPLE));

        assertEquals(true, invalid.reason().startsWith("value is not JSON: "), invalid.reason());
    }

    static Stream<String> notJson() {
        return Stream.of("subscribe alice", "{\"email\": ", "{} {}");
    }

    @ParameterizedTest
    @MethodSource("objects")
    void anObjectIsReadAsIs(String text) {
        JsonInput.Parsed.Valid valid =
                assertInstanceOf(JsonInput.Parsed.Valid.class, JsonInput.object(bytes(text), EXAMPLE));

        assertEquals(Json.MAPPER.createObjectNode().put("email", "a@b.c"), valid.json());
    }

    static Stream<String> objects() {
        return Stream.of("{\"email\": \"a@b.c\"}", "  {\"email\":\"a@b.c\"}\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
