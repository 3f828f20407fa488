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
        CommandPosition position = new CommandPosition("my-team.subscription-commands", 12, 345678L);

        assertEquals("my-team.subscription-commands-12-345678", position.toString());
        assertEquals(Optional.of(position), CommandPosition.parse(position.toString()));
        assertEquals(Optional.of(position), CommandPosition.fromCancelReason(position.cancelReason()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "topic", "topic-1", "-1-2", "topic-x-2", "topic-1-y", "topic--2"})
    void anythingElseIsNoPosition(String text) {
        assertEquals(Optional.empty(), CommandPosition.parse(text));
    }

    @Test
    void cancelReasonsOfOthersAreNoPosition() {
        assertEquals(Optional.empty(), CommandPosition.fromCancelReason(""));
        assertEquals(Optional.empty(), CommandPosition.fromCancelReason("operator request"));
        assertEquals(Optional.empty(), CommandPosition.fromCancelReason(null));
    }

    @Test
    void onlyPositionsInOnePartitionAreOrdered() {
        CommandPosition tenth = new CommandPosition("commands", 0, 10);

        assertTrue(tenth.atOrBefore(new CommandPosition("commands", 0, 10)));
        assertTrue(tenth.atOrBefore(new CommandPosition("commands", 0, 11)));
        assertFalse(tenth.atOrBefore(new CommandPosition("commands", 0, 9)));
        assertFalse(tenth.atOrBefore(new CommandPosition("commands", 1, 11)));
        assertFalse(tenth.atOrBefore(new CommandPosition("other", 0, 11)));
    }
}
