package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandPositionTest {

    @Test
    void readsBackWhatItWritesEvenWithDashesInTheTopic() {
        CommandPosition position =
                new CommandPosition("my-team.subscription-commands", "x-Fq2_9aQ-C9ZkxWRAp1gw", 12, 345678L);
        CommandPosition withoutId = new CommandPosition("my-team.subscription-commands", null, 12, 345678L);

        assertEquals("my-team.subscription-commands-12-345678@x-Fq2_9aQ-C9ZkxWRAp1gw", position.toString());
        assertEquals(Optional.of(position), CommandPosition.parse(position.toString()));
        assertEquals(Optional.of(position), CommandPosition.fromCancelReason(position.cancelReason()));
        assertEquals("my-team.subscription-commands-12-345678", withoutId.toString());
        assertEquals(Optional.of(withoutId), CommandPosition.parse(withoutId.toString()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-",
                "topic",
                "topic-1",
                "-1-2",
                "topic-x-2",
                "topic-1-y",
                "topic--2",
                "topic-1-2@",
                "@id",
                "topic-1@id"
            })
    void anythingElseIsNoPosition(String text) {
        assertEquals(Optional.empty(), CommandPosition.parse(text));
    }

    @Test
    void bouncesAndComplaintsNameTheirPositionInTheirCancelReasonsToo() {
        CommandPosition position = new CommandPosition("subscription-commands", "id", 2, 41L);

        assertEquals("bounce subscription-commands-2-41@id", position.cancelReason("bounce"));
        assertEquals(Optional.of(position), CommandPosition.fromCancelReason(position.cancelReason("bounce")));
        assertEquals(Optional.of(position), CommandPosition.fromCancelReason(position.cancelReason("complaint")));
        assertEquals(Optional.empty(), CommandPosition.fromCancelReason("subscribe subscription-commands-2-41@id"));
        assertEquals(Optional.empty(), CommandPosition.fromCancelReason("bounce"));
    }

    @Test
    void cancelReasonsOfOthersAreNoPosition() {
        assertEquals(Optional.empty(), CommandPosition.fromCancelReason(""));
        assertEquals(Optional.empty(), CommandPosition.fromCancelReason("operator request"));
        assertEquals(Optional.empty(), CommandPosition.fromCancelReason(null));
    }

    @Test
    void onlyPositionsInOnePartitionOfOneTopicAreOrdered() {
        CommandPosition tenth = new CommandPosition("commands", "A", 0, 10);

        assertTrue(tenth.atOrBefore(new CommandPosition("commands", "A", 0, 10)));
        assertTrue(tenth.atOrBefore(new CommandPosition("commands", "A", 0, 11)));
        assertFalse(tenth.atOrBefore(new CommandPosition("commands", "A", 0, 9)));
        assertFalse(tenth.atOrBefore(new CommandPosition("commands", "A", 1, 11)));
        assertFalse(tenth.atOrBefore(new CommandPosition("other", "A", 0, 11)));
        assertFalse(tenth.atOrBefore(new CommandPosition("commands", "B", 0, 11)), "the topic was created again");
        assertFalse(tenth.sameRecord(new CommandPosition("commands", "B", 0, 10)));
    }

    @Test
    void anUnknownTopicIdComparesByOffsetAlone() {
        CommandPosition tenth = new CommandPosition("commands", null, 0, 10);

        assertTrue(tenth.atOrBefore(new CommandPosition("commands", "A", 0, 11)));
        assertTrue(tenth.sameRecord(new CommandPosition("commands", "A", 0, 10)));
        assertFalse(tenth.atOrBefore(new CommandPosition("commands", "A", 0, 9)));
    }
}
