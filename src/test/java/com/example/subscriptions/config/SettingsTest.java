package com.example.subscriptions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    private Settings load(String fileText, Map<String, String> env, Map<String, String> system) throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, fileText);
        Properties properties = new Properties();
        properties.putAll(system);
        return Settings.from(ConfigSources.merge(Settings.DEFAULTS, file, env, properties));
    }

    @Test
    void shippedPropertiesFileListsEverySettingWithItsDefault() throws IOException {
        Properties shipped = new Properties();
        try (Reader reader = Files.newBufferedReader(Settings.DEFAULT_FILE)) {
            shipped.load(reader);
        }
        Map<String, String> fromFile = new HashMap<>();
        shipped.stringPropertyNames().forEach(key -> fromFile.put(key, shipped.getProperty(key)));
        assertEquals(Settings.DEFAULTS, fromFile);
    }

    @Test
    void defaultsMatchTheTutorial() {
        Settings settings = Settings.of(Map.of());
        assertEquals("localhost:7233", settings.temporal().address());
        assertEquals("default", settings.temporal().namespace());
        assertEquals("email_subscription", settings.temporal().taskQueue());
        assertEquals(Duration.ofSeconds(12), settings.commands().interval());
        assertEquals(EnumSet.allOf(Settings.Role.class), settings.roles());
        assertEquals("localhost:9092", settings.kafka().bootstrapServers());
    }

    @Test
    void environmentOverridesFileAndSystemPropertiesOverrideBoth() throws IOException {
        Settings settings = load("temporal.address=file:1\ntemporal.namespace=file-ns\ncommands.max-in-flight=8\n",
                Map.of("TEMPORAL_ADDRESS", "env:2", "TEMPORAL_NAMESPACE", "env-ns"),
                Map.of("temporal.namespace", "sys-ns"));

        assertEquals("env:2", settings.temporal().address());
        assertEquals("sys-ns", settings.temporal().namespace());
        assertEquals(8, settings.commands().maxInFlight());
    }

    @Test
    void kafkaPrefixedEnvironmentVariablesPassThroughToTheClients() throws IOException {
        Settings settings = load("", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_BOOTSTRAP_SERVERS", "broker:9093",
                "KAFKA_HEAP_OPTS", "-Xmx1g"), Map.of());

        assertEquals("SASL_PLAINTEXT", settings.kafka().forConsumer().getProperty("security.protocol"));
        assertEquals("PLAIN", settings.kafka().forProducer().getProperty("sasl.mechanism"));
        assertEquals("broker:9093", settings.kafka().bootstrapServers());
    }

    @Test
    void secretsAreHiddenWhenSettingsAreShown() throws IOException {
        Settings settings = load("kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required username=\"u\" password=\"s3cret\";\nkafka.ssl.truststore.password=pw\n"
                + "temporal.api-key=k3y\n", Map.of(), Map.of());

        String shown = settings.kafka().redacted() + " " + settings.temporal();
        assertTrue(!shown.contains("s3cret") && !shown.contains("pw") && !shown.contains("k3y"), shown);
    }

    @Test
    void unknownSettingFailsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("temporal.adress=x\n", Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("'temporal.adress'"), e.getMessage());
    }

    @Test
    void unknownKafkaClientSettingFailsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("", Map.of("KAFKA_SECURITY_PROTOCL", "SSL"), Map.of()));
        assertTrue(e.getMessage().contains("'kafka.security.protocl'"), e.getMessage());
        assertTrue(e.getMessage().contains("KAFKA_SECURITY_PROTOCL"), e.getMessage());
    }

    @Test
    void malformedValuesFailNamingTheKey() {
        assertFailsNaming("commands.max-in-flight=many\n", "commands.max-in-flight");
        assertFailsNaming("subscription.interval=12s\n", "subscription.interval");
        assertFailsNaming("topics.create=yes\n", "topics.create");
        assertFailsNaming("roles=worker,web\n", "roles");
        assertFailsNaming("server.port=70000\n", "server.port");
        assertFailsNaming("topics.events=\n", "topics.events");
    }

    private void assertFailsNaming(String fileText, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(fileText, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
