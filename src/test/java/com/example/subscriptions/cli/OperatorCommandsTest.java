package com.example.subscriptions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The operator commands' arguments and help, and where they start reading: nothing here needs a broker. */
class OperatorCommandsTest {

    private final StartingPoint.Converter points = new StartingPoint.Converter();

    @Test
    void aStartingPointIsATimeADurationAgoTheBeginningOrAnOffset() {
        assertEquals(
                new StartingPoint.At(Instant.parse("2026-11-24T10:00:00Z")), points.convert("2026-11-24T10:00:00Z"));
        assertEquals(
                new StartingPoint.At(Instant.parse("2026-11-24T09:00:00Z")),
                points.convert("2026-11-24T10:00:00+01:00"));
        assertEquals(new StartingPoint.Earliest(), points.convert("EARLIEST"));
        assertEquals(new StartingPoint.Offset(42), points.convert("42"));
        for (String ago : new String[] {"PT1H", "60m", "1h", "3600s"}) {
            Instant at = ((StartingPoint.At) points.convert(ago)).time();
            Duration off = Duration.between(at, Instant.now().minus(Duration.ofHours(1)))
                    .abs();
            assertTrue(off.compareTo(Duration.ofSeconds(30)) < 0, ago + " is an hour ago, was " + at);
        }
        assertInstanceOf(StartingPoint.At.class, points.convert("2d"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "-1", "PT-1H", "0m", "2026-13-01T00:00:00Z", ""})
    void anythingElseIsRefusedWithWhatIsAccepted(String value) {
        TypeConversionException refused = assertThrows(TypeConversionException.class, () -> points.convert(value));
        assertTrue(refused.getMessage().contains("ISO-8601 time"), refused.getMessage());
    }

    @Test
    void replayNeedsItsRoleAndPointAndNamesTheFlagThatEvicts() {
        OperatorCli missing = OperatorCli.run(Map.of(), "replay", "--from", "PT1H");
        assertEquals(Cli.USAGE, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("--role"), missing.toString());
        OperatorCli wrongRole = OperatorCli.run(Map.of(), "replay", "--role", "worker", "--from", "PT1H");
        assertEquals(Cli.USAGE, wrongRole.exitCode(), wrongRole.toString());
        assertTrue(wrongRole.err().contains("commands or responder"), wrongRole.toString());
        OperatorCli help = OperatorCli.run(Map.of(), "replay", "--help");
        assertEquals(Cli.OK, help.exitCode());
        assertTrue(help.out().contains("--evict-active-members"), help.out());
        assertTrue(help.out().contains("dry run unless --execute"), help.out());
    }

    @Test
    void deadLettersListsItsTwoCommandsAndRedriveSaysItIsADryRunByDefault() {
        OperatorCli help = OperatorCli.run(Map.of(), "dead-letters", "--help");
        assertEquals(Cli.OK, help.exitCode());
        assertTrue(help.out().contains("list") && help.out().contains("redrive"), help.out());
        OperatorCli redrive = OperatorCli.run(Map.of(), "dead-letters", "redrive", "--help");
        assertTrue(redrive.out().contains("A dry run unless --execute"), redrive.out());
        assertTrue(redrive.out().contains("--max-redrives"), redrive.out());
    }

    @Test
    void kafkaOutOfReachIsOneLineAndExitFour() {
        OperatorCli run = OperatorCli.run(
                Map.of("kafka.bootstrap.servers", "127.0.0.1:1"), "dead-letters", "list", "--timeout", "2s");
        assertEquals(Cli.KAFKA_FAILED, run.exitCode(), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
        assertTrue(run.err().contains("127.0.0.1:1"), run.toString());
    }
}
