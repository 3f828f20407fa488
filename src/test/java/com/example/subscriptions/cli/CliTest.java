package com.example.subscriptions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI's arguments, help and errors, and its answer when Kafka is not there: nothing here needs a broker. */
class CliTest {

    private record Run(int exitCode, String out, String err) {}

    private static Run cli(Map<String, String> overrides, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(
                args,
                overrides,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run cli(String... args) {
        return cli(Map.of(), args);
    }

    /** A local port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void helpListsTheSubcommandsAndTheExitCodes() {
        Run help = cli("--help");
        assertEquals(Cli.OK, help.exitCode());
        for (String expected : new String[] {
            "Usage: subscriptions",
            "subscribe",
            "unsubscribe",
            "details",
            "bounce",
            "complaint",
            "unsuppress",
            "erase",
            "Exit codes:",
            "3   no answer in time",
            "4   Kafka cannot be reached"
        }) {
            assertTrue(help.out().contains(expected), () -> "help lacks '" + expected + "':\n" + help.out());
        }
    }

    @Test
    void eachSubcommandHasItsOwnHelp() {
        Run help = cli("details", "--help");
        assertEquals(Cli.OK, help.exitCode());
        assertTrue(help.out().startsWith("Usage: subscriptions details "), help.out());
        assertTrue(help.out().contains("--connect-timeout=DURATION"), help.out());
        assertTrue(help.out().contains("EMAIL"), help.out());
    }

    @Test
    void anOperatorsBounceOrComplaintTakesAnOptionalDiagnostic() {
        for (String subcommand : new String[] {"bounce", "complaint"}) {
            Run help = cli(subcommand, "--help");
            assertEquals(Cli.OK, help.exitCode());
            assertTrue(help.out().contains("--diagnostic=TEXT"), help.out());
            assertTrue(help.out().contains("suppressed"), help.out());
        }
    }

    @Test
    void versionNamesTheProgram() {
        Run version = cli("--version");
        assertEquals(Cli.OK, version.exitCode());
        assertTrue(version.out().startsWith("subscriptions "), version.out());
    }

    @Test
    void noSubcommandIsAUsageError() {
        Run run = cli();
        assertEquals(Cli.USAGE, run.exitCode());
        assertTrue(run.err().contains("Missing required subcommand"), run.err());
    }

    @Test
    void anUnknownSubcommandIsAUsageErrorThatSuggestsTheNearestOnes() {
        Run run = cli("resubscribe", "a@example.com");
        assertEquals(Cli.USAGE, run.exitCode());
        assertTrue(run.err().contains("Unmatched arguments from index 0: 'resubscribe'"), run.err());
        assertTrue(run.err().contains("Did you mean: subscriptions subscribe"), run.err());
    }

    @Test
    void aMissingEmailIsAUsageError() {
        Run run = cli("subscribe");
        assertEquals(Cli.USAGE, run.exitCode());
        assertTrue(run.err().contains("Missing required parameter: 'EMAIL'"), run.err());
    }

    @Test
    void anInvalidEmailIsAUsageErrorSayingWhy() {
        Run run = cli("subscribe", "not an email");
        assertEquals(Cli.USAGE, run.exitCode());
        assertTrue(run.err().contains("not an email address: email contains a space or control character"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "0s", "-5s", "PT-1S"})
    void aTimeoutThatIsNotAPositiveDurationIsAUsageError(String timeout) {
        Run run = cli("details", "a@example.com", "--timeout", timeout);
        assertEquals(Cli.USAGE, run.exitCode());
        assertTrue(run.err().contains("is not a positive duration"), run.err());
    }

    @Test
    void durationsReadAsUsersWriteThem() {
        ClientOptions.DurationConverter converter = new ClientOptions.DurationConverter();
        assertEquals(Duration.ofSeconds(15), converter.convert("15s"));
        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(Duration.ofMinutes(2), converter.convert("2m"));
        assertEquals(Duration.ofSeconds(15), converter.convert("PT15S"));
    }

    @Test
    void durationsAreWrittenAsPeopleWriteThem() {
        assertEquals("500 ms", ClientOptions.text(Duration.ofMillis(500)));
        assertEquals("5 s", ClientOptions.text(Duration.ofSeconds(5)));
        assertEquals("1.5 s", ClientOptions.text(Duration.ofMillis(1500)));
    }

    @Test
    void subcommandsAreCaseInsensitiveAsBefore() {
        assertEquals(Cli.OK, cli("DETAILS", "--help").exitCode());
    }

    @Test
    void aBadSettingIsAConfigurationError() {
        Run run = cli(
                Map.of("kafka.bootstrap.servers", ""),
                "details",
                "a@example.com",
                "--config",
                "/nonexistent/subscriptions.properties");
        assertEquals(Cli.USAGE, run.exitCode());
        assertTrue(run.err().startsWith("Configuration error: Configuration file not found"), run.err());
    }

    @Test
    @Timeout(30)
    void unreachableKafkaIsOneLineNamingTheServersWithinTheConnectTimeout() throws IOException {
        String servers = "127.0.0.1:" + closedPort();
        long started = System.nanoTime();

        Run run =
                cli(Map.of("kafka.bootstrap.servers", servers), "details", "a@example.com", "--connect-timeout", "2s");

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(Cli.KAFKA_FAILED, run.exitCode(), run.err());
        assertEquals(
                "Kafka at " + servers + " (kafka.bootstrap.servers) cannot be reached: no answer within " + "2 s.\n",
                run.err());
        assertEquals("", run.out());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
    }

    @Test
    void aBootstrapServerNameThatDoesNotResolveIsUnreachableToo() {
        Run run = cli(Map.of("kafka.bootstrap.servers", "no-such-host.invalid:9092"), "subscribe", "a@example.com");
        assertEquals(Cli.KAFKA_FAILED, run.exitCode(), run.err());
        assertTrue(
                run.err()
                        .startsWith("Kafka at no-such-host.invalid:9092 (kafka.bootstrap.servers) cannot be "
                                + "reached: "),
                run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }
}
