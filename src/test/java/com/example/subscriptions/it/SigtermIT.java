package com.example.subscriptions.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.devstack.TestTemporal;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged service, as an operator runs it, stops cleanly on SIGTERM: drains, commits, exits 0. */
class SigtermIT {

    @TempDir
    Path workDir;

    @Test
    void sigtermDrainsCommitsAndExitsZero() throws Exception {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "subscriptions.jar")
                .toAbsolutePath();
        int httpPort = freePort();
        ServiceFixture names = new ServiceFixture();
        ProcessBuilder builder = new ProcessBuilder(
                        new File(System.getProperty("java.home"), "bin/java").getPath(), "-jar", jar.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("out.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers());
        env.put("TEMPORAL_ADDRESS", TestTemporal.address());
        env.put("TEMPORAL_TASK_QUEUE", names.taskQueue);
        env.put("COMMANDS_GROUP_ID", "commands-" + names.suffix);
        env.put("DETAILS_GROUP_ID", "details-" + names.suffix);
        env.put("SERVER_PORT", Integer.toString(httpPort));
        env.put("UNSUBSCRIBE_PORT", "0");
        names.topics.forEach(
                (key, topic) -> env.put(key.toUpperCase().replace('.', '_').replace('-', '_'), topic));
        Process service = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> http.send(
                                            HttpRequest.newBuilder(URI.create(
                                                            "http://localhost:" + httpPort + "/health/ready"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);

            service.destroy();

            assertTrue(service.waitFor(45, TimeUnit.SECONDS), "did not stop within the shutdown timeout");
            String log = Files.readString(workDir.resolve("out.log"), StandardCharsets.UTF_8);
            assertEquals(0, service.exitValue(), log);
            assertTrue(log.contains("commands: stopped, offsets committed"), log);
            assertTrue(log.contains("responder: stopped, offsets committed"), log);
        } finally {
            service.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
