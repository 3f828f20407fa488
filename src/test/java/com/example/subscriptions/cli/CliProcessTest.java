package com.example.subscriptions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Main;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CLI as a user runs it ({@code java ... Main cli ...}, the service's logging configuration, no config file),
 * with Kafka unreachable: one line and the documented exit code within seconds, and the Kafka client's own log only
 * with {@code --verbose}.
 */
class CliProcessTest {

    private record Finished(int exitCode, String out, String err, Duration took) {}

    /** Runs the CLI in a JVM of its own, on the main classpath (so logback.xml, not logback-test.xml, applies). */
    private static Finished runCli(String bootstrapServers, String... args) throws Exception {
        Path dir = Files.createTempDirectory("cli-process-");
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classPath,
                Main.class.getName(),
                "cli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KAFKA_"));
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI did not finish");
            return new Finished(
                    process.exitValue(),
                    read(dir.resolve("out")),
                    read(dir.resolve("err")),
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            process.destroyForcibly();
            for (String name : List.of("out", "err")) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.delete(dir);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(90)
    void unreachableKafkaGivesOneLineAndExitCode4WithinSeconds() throws Exception {
        String servers = "127.0.0.1:" + CliTest.closedPort();

        Finished run = runCli(servers, "details", "x@example.com", "--connect-timeout", "2s");

        assertEquals(Cli.KAFKA_FAILED, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals(
                List.of("Kafka at " + servers + " (kafka.bootstrap.servers) cannot be reached: no answer "
                        + "within 2 s."),
                run.err().lines().toList());
        // Two seconds of waiting plus a JVM start, with room for a busy machine.
        assertTrue(run.took().compareTo(Duration.ofSeconds(15)) < 0, "took " + run.took());
    }

    @Test
    @Timeout(90)
    void verboseShowsTheKafkaClientsOwnWarnings() throws Exception {
        String servers = "127.0.0.1:" + CliTest.closedPort();

        Finished run = runCli(servers, "details", "x@example.com", "--connect-timeout", "1s", "--verbose");

        assertEquals(Cli.KAFKA_FAILED, run.exitCode(), run.err());
        String all = run.out() + run.err();
        assertTrue(all.contains("NetworkClient"), all);
        assertTrue(all.contains("cannot be reached"), all);
    }
}
