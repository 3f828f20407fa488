package com.example.subscriptions.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.mail.UnsubscribeTokens.Verification;
import com.example.subscriptions.mail.UnsubscribeTokens.Verification.Problem;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UnsubscribeTokensTest {

    private static final UnsubscribeTokens TOKENS = UnsubscribeTokens.withSecret("0123456789abcdef0123456789abcdef");

    private static Problem problem(String token) {
        return assertInstanceOf(Verification.Refused.class, TOKENS.verify(token))
                .problem();
    }

    @Test
    void aTokenWeIssuedNamesItsSubscriber() {
        String token = TOKENS.issue("alice@example.com");

        assertTrue(token.matches("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}"), token);
        Verification verified = TOKENS.verify(token);
        assertEquals(
                "alice@example.com",
                assertInstanceOf(Verification.Valid.class, verified).email().value());
    }

    @Test
    void anotherSubscribersAddressInAValidTokenIsRefusedAsForged() {
        String[] parts = TOKENS.issue("alice@example.com").split("\\.");
        String bob = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("bob@example.com".getBytes(StandardCharsets.UTF_8));

        assertEquals(Problem.BAD_SIGNATURE, problem(parts[0] + "." + bob + "." + parts[2]));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefusedAsForged() {
        String token = UnsubscribeTokens.withSecret("another-secret-another-secret-another")
                .issue("alice@example.com");

        assertEquals(Problem.BAD_SIGNATURE, problem(token));
        assertEquals(
                Problem.BAD_SIGNATURE,
                problem(UnsubscribeTokens.withRandomSecret().issue("alice@example.com")));
    }

    @Test
    void truncatedAndMalformedTokensAreRefused() {
        String token = TOKENS.issue("alice@example.com");

        assertEquals(Problem.MALFORMED, problem(token.substring(0, token.length() - 1)));
        assertEquals(Problem.MALFORMED, problem(token.substring(0, token.lastIndexOf('.'))));
        assertEquals(Problem.MALFORMED, problem(token + ".extra"));
        assertEquals(Problem.MALFORMED, problem(token.replace('.', '!')));
        assertEquals(Problem.MALFORMED, problem(""));
        assertEquals(Problem.MALFORMED, problem(null));
        assertEquals(Problem.MALFORMED, problem("v1..."));
        assertEquals(Problem.MALFORMED, problem("v1.%%%." + token.substring(token.lastIndexOf('.') + 1)));
    }

    @Test
    void aTokenOfAnotherVersionIsRefused() {
        String token = TOKENS.issue("alice@example.com");

        assertEquals(Problem.UNKNOWN_VERSION, problem("v2" + token.substring(2)));
        assertEquals(Problem.UNKNOWN_VERSION, problem("v0." + token));
    }

    @Test
    void linksKeepTheBasePathAndCarryTheTokenInTheQuery() {
        URI link =
                new UnsubscribeLinks(URI.create("https://mail.example.com/subs/"), TOKENS).linkFor("alice@example.com");

        assertEquals("https", link.getScheme());
        assertEquals("/subs/unsubscribe", link.getPath());
        assertEquals("token=" + TOKENS.issue("alice@example.com"), link.getQuery());
    }

    @Test
    void anUnsubscribeTokenIssuedBeforeTokensHadPurposesStillVerifies() {
        // Issued by the code before confirm tokens existed, with the secret above.
        String issuedBefore = "v1.YWxpY2VAZXhhbXBsZS5jb20.VRGjkDeALP1hYMpOODWJV7TryJBuYhHu_P_EeKBRNdM";

        assertEquals(
                "alice@example.com",
                assertInstanceOf(Verification.Valid.class, TOKENS.verify(issuedBefore))
                        .email()
                        .value());
        assertEquals(issuedBefore, TOKENS.issue("alice@example.com"));
    }

    @Test
    void aTokenOfOnePurposeIsRefusedForTheOther() {
        String confirm = TOKENS.issue(UnsubscribeTokens.Purpose.CONFIRM, "alice@example.com");
        String unsubscribe = TOKENS.issue(UnsubscribeTokens.Purpose.UNSUBSCRIBE, "alice@example.com");

        assertEquals(Problem.WRONG_PURPOSE, problem(confirm));
        assertEquals(
                Problem.WRONG_PURPOSE,
                assertInstanceOf(
                                Verification.Refused.class,
                                TOKENS.verify(UnsubscribeTokens.Purpose.CONFIRM, unsubscribe))
                        .problem());
        assertInstanceOf(Verification.Valid.class, TOKENS.verify(UnsubscribeTokens.Purpose.CONFIRM, confirm));
        // The prefix is signed: relabelling a confirm token as an unsubscribe one breaks its MAC.
        assertEquals(Problem.BAD_SIGNATURE, problem("v1" + confirm.substring(2)));
    }
}
