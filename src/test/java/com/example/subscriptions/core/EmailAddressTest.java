package com.example.subscriptions.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    private static final String LOCAL_64 = "a".repeat(64);

    /** A domain that makes {@code local@domain} exactly {@code total} characters long. */
    private static String domainFor(String local, int total) {
        int domainLength = total - local.length() - 1;
        return "d".repeat(domainLength - ".com".length()) + ".com";
    }

    private static EmailAddress valid(String raw) {
        EmailAddress.Parsed parsed = EmailAddress.parse(raw);
        return assertInstanceOf(
                        EmailAddress.Parsed.Valid.class,
                        parsed,
                        () -> "expected '" + raw + "' to be accepted, was " + parsed)
                .email();
    }

    private static String invalidReason(String raw) {
        EmailAddress.Parsed parsed = EmailAddress.parse(raw);
        return assertInstanceOf(
                        EmailAddress.Parsed.Invalid.class,
                        parsed,
                        () -> "expected '" + raw + "' to be rejected, was " + parsed)
                .reason();
    }

    // --- normalisation ---

    @Test
    void parseTrimsSurroundingWhitespaceAndLowerCases() {
        assertEquals("alice@example.com", valid("  Alice@Example.COM \t\n").value());
    }

    @Test
    void lowerCasingIsLocaleIndependent() {
        // With a Turkish default locale, "I".toLowerCase() would give a dotless 'ı'.
        java.util.Locale previous = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertEquals("ivan@iana.org", valid("IVAN@IANA.ORG").value());
        } finally {
            java.util.Locale.setDefault(previous);
        }
    }

    @Test
    void sameAddressWrittenDifferentlyNormalisesToEqualValues() {
        assertEquals(valid("bob@example.com"), valid(" BOB@example.Com"));
    }

    @Test
    void toStringIsTheNormalisedValue() {
        assertEquals("bob@example.com", valid("Bob@Example.com").toString());
    }

    @Test
    void constructorAcceptsANormalisedValidAddress() {
        assertEquals("carol@example.org", new EmailAddress("carol@example.org").value());
    }

    @Test
    void constructorRejectsAnInvalidValueWithTheSameReasonAsParse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EmailAddress("no-at-sign"));
        assertEquals(invalidReason("no-at-sign"), e.getMessage());
    }

    // --- accepted ---

    @ParameterizedTest(name = "accepts \"{0}\"")
    @ValueSource(
            strings = {
                "alice@example.com",
                "alice+newsletter@example.com",
                "alice+tag+more@example.com",
                "first.last@example.com",
                "user_name-1@mail.sub.example.co.uk",
                "a@b",
                "x@localhost",
                "o'brien@example.ie",
                "123@456.example",
            })
    void acceptsPlausibleAddressesUnchangedWhenAlreadyNormalised(String raw) {
        assertEquals(raw, valid(raw).value());
    }

    @Test
    void acceptsALocalPartOfExactly64Characters() {
        String email = LOCAL_64 + "@example.com";
        assertEquals(email, valid(email).value());
    }

    @Test
    void acceptsAnAddressOfExactly254Characters() {
        String email = LOCAL_64 + "@" + domainFor(LOCAL_64, EmailAddress.MAX_LENGTH);
        assertEquals(254, email.length());
        assertEquals(email, valid(email).value());
    }

    @Test
    void lengthLimitsApplyAfterTrimming() {
        String email = LOCAL_64 + "@" + domainFor(LOCAL_64, EmailAddress.MAX_LENGTH);
        assertEquals(email, valid("   " + email + "   ").value());
    }

    // --- rejected, each with its own reason ---

    static Stream<Arguments> rejections() {
        String local65 = "a".repeat(65);
        String total255 = LOCAL_64 + "@" + domainFor(LOCAL_64, 255);
        return Stream.of(
                Arguments.of("empty", "", "email is empty"),
                Arguments.of("whitespace only", "   \t ", "email is empty"),
                Arguments.of("no @", "alice.example.com", "exactly one '@'"),
                Arguments.of("two @", "alice@home@example.com", "exactly one '@'"),
                Arguments.of("space inside", "alice smith@example.com", "space or control character"),
                Arguments.of("space in domain", "alice@exa mple.com", "space or control character"),
                Arguments.of("tab inside", "alice\tsmith@example.com", "space or control character"),
                Arguments.of("newline inside", "alice@exam\nple.com", "space or control character"),
                Arguments.of("NUL control char", "alice\u0000@example.com", "space or control character"),
                Arguments.of("DEL control char", "alice\u007f@example.com", "space or control character"),
                Arguments.of("no-break space", "alice\u00a0smith@example.com", "space or control character"),
                Arguments.of("65-char local part", local65 + "@example.com", "local part is 65 characters, over 64"),
                Arguments.of("255 characters in total", total255, "email is 255 characters, over 254"),
                Arguments.of("empty local part", "@example.com", "needs a local part and a domain"),
                Arguments.of("empty domain", "alice@", "needs a local part and a domain"),
                Arguments.of("only @", "@", "needs a local part and a domain"),
                Arguments.of("domain starting with dot", "alice@.example.com", "domain is malformed"),
                Arguments.of("domain ending with dot", "alice@example.com.", "domain is malformed"),
                Arguments.of("domain with '..'", "alice@example..com", "domain is malformed"),
                Arguments.of("domain only a dot", "alice@.", "domain is malformed"));
    }

    @ParameterizedTest(name = "rejects {0}")
    @MethodSource("rejections")
    void rejectsWithASpecificReason(String description, String raw, String expectedReasonPart) {
        String reason = invalidReason(raw);
        assertTrue(
                reason.contains(expectedReasonPart),
                () -> description + ": reason '" + reason + "' should contain '" + expectedReasonPart + "'");
    }

    @Test
    void rejectionReasonsAreDistinctForDistinctProblems() {
        long distinct = Stream.of(
                        "",
                        "alice.example.com",
                        "a b@c.d",
                        "a".repeat(65) + "@c.d",
                        LOCAL_64 + "@" + domainFor(LOCAL_64, 255),
                        "@c.d",
                        "a@.c")
                .map(EmailAddressTest::invalidReason)
                .distinct()
                .count();
        assertEquals(7, distinct);
    }
}
