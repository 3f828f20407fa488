package com.example.subscriptions.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SubscriberIdsTest {

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private static EmailAddress email(String raw) {
        return ((EmailAddress.Parsed.Valid) EmailAddress.parse(raw)).email();
    }

    @Test
    void plainIdsAreTheEmailAsTheTutorialHasThem() {
        assertEquals("bob@example.com", SubscriberIds.plain().workflowId(email("Bob@Example.com")));
        assertFalse(SubscriberIds.plain().pseudonymous());
    }

    @Test
    void keyedIdsAreAPrefixedHmacOfTheNormalisedEmailThatNamesNothingOfIt() {
        SubscriberIds ids = SubscriberIds.keyed(key(7));
        String id = ids.workflowId(email("bob@example.com"));

        assertTrue(id.matches("sub-[0-9a-f]{64}"), id);
        assertFalse(id.contains("bob"), id);
        assertEquals(id, ids.workflowId(email("  BOB@example.COM ")), "every spelling of one address, one id");
        assertEquals(id, SubscriberIds.keyed(key(7)).workflowId(email("bob@example.com")), "every process, one id");
        assertNotEquals(id, ids.workflowId(email("alice@example.com")));
        assertNotEquals(
                id, SubscriberIds.keyed(key(8)).workflowId(email("bob@example.com")), "another key, another id");
    }

    @Test
    void aKnownVector() {
        // printf bob@example.com | openssl dgst -sha256 -mac HMAC -macopt hexkey:0707...07 (32 bytes of 7)
        assertEquals(
                "sub-d8c0c77537d81a8d9f536fd88d595f0b83321ffe0f330371250c7368f59a059a",
                SubscriberIds.keyed(key(7)).workflowId(email("bob@example.com")));
    }
}
