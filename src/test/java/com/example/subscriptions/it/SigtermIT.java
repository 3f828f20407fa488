package com.example.subscriptions.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.devstack.ServiceJvm;
import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.devstack.TestTemporal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The packaged service, as an operator runs it, stops cleanly on SIGTERM: drains, commits, exits 0. */
class SigtermIT {

    @Test
    void sigtermDrainsCommitsAndExitsZero() {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "subscriptions.jar");
        ServiceFixture names = new ServiceFixture();
        Map<String, String> settings = new HashMap<>(names.topics);
        settings.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        settings.put("temporal.address", TestTemporal.address());
        settings.put("temporal.task-queue", names.taskQueue);
        settings.put("commands.group-id", "commands-" + names.suffix);
        settings.put("details.group-id", "details-" + names.suffix);
        settings.put("unsubscribe.port", "0");
        try (ServiceJvm service = ServiceJvm.with(settings).jar(jar).start()) {
            service.awaitReady(Duration.ofSeconds(60));

            service.terminate();

            assertEquals(Optional.of(0), service.awaitExit(Duration.ofSeconds(45)), service::output);
            String log = service.output();
            assertTrue(log.contains("commands: stopped, offsets committed"), log);
            assertTrue(log.contains("responder: stopped, offsets committed"), log);
        }
    }
}
