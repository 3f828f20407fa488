package com.example.subscriptions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporal's standard names and TOML profiles work unchanged; the service's own names stay as aliases. */
class TemporalStandardConfigTest {

    private static final String PROFILES = """
            [profile.default]
            address = "default.tmprl.cloud:7233"
            namespace = "default-ns"

            [profile.prod]
            address = "prod.a1b2c.tmprl.cloud:7233"
            namespace = "prod.a1b2c"

            [profile.prod.tls]
            client_cert_path = "/certs/prod.pem"
            client_key_path = "/certs/prod.key"
            server_ca_cert_path = "/certs/ca.pem"
            server_name = "prod.a1b2c.tmprl.cloud"

            [profile.inline]
            address = "x:7233"

            [profile.inline.tls]
            client_cert_data = "-----BEGIN CERTIFICATE-----"
            """;

    @TempDir
    Path dir;

    private Path profiles() throws IOException {
        Path file = dir.resolve("temporal.toml");
        Files.writeString(file, PROFILES);
        return file;
    }

    private TemporalSettings temporal(String fileText, Map<String, String> env, Map<String, String> system)
            throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, fileText);
        Properties properties = new Properties();
        properties.putAll(system);
        Map<String, String> withoutHomeProfile = new HashMap<>(env);
        withoutHomeProfile.putIfAbsent(
                "TEMPORAL_CONFIG_FILE", dir.resolve("no-such.toml").toString());
        return Settings.from(ConfigSources.merge(Settings.DEFAULTS, file, withoutHomeProfile, properties))
                .temporal();
    }

    @Test
    void theStandardEnvironmentNamesSetAnMtlsConnection() throws IOException {
        TemporalSettings temporal = temporal(
                "",
                Map.of(
                        "TEMPORAL_ADDRESS", "ns.a1b2c.tmprl.cloud:7233",
                        "TEMPORAL_NAMESPACE", "ns.a1b2c",
                        "TEMPORAL_TLS", "true",
                        "TEMPORAL_TLS_CLIENT_CERT_PATH", "/certs/client.pem",
                        "TEMPORAL_TLS_CLIENT_KEY_PATH", "/certs/client.key",
                        "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "/certs/ca.pem",
                        "TEMPORAL_TLS_SERVER_NAME", "ns.a1b2c.tmprl.cloud"),
                Map.of());

        assertEquals("ns.a1b2c.tmprl.cloud:7233", temporal.address());
        assertEquals("ns.a1b2c", temporal.namespace());
        assertTrue(temporal.tls());
        assertEquals(Optional.of(Path.of("/certs/client.pem")), temporal.tlsCertFile());
        assertEquals(Optional.of(Path.of("/certs/client.key")), temporal.tlsKeyFile());
        assertEquals(Optional.of(Path.of("/certs/ca.pem")), temporal.tlsCaFile());
        assertEquals(Optional.of("ns.a1b2c.tmprl.cloud"), temporal.tlsServerName());
    }

    @Test
    void theServicesOwnNamesStillWorkAndTheStandardNameWinsOverItsAlias() throws IOException {
        TemporalSettings alone = temporal(
                "",
                Map.of("TEMPORAL_TLS_CERT_FILE", "/old/client.pem", "TEMPORAL_TLS_CA_FILE", "/old/ca.pem"),
                Map.of());
        assertEquals(Optional.of(Path.of("/old/client.pem")), alone.tlsCertFile());
        assertEquals(Optional.of(Path.of("/old/ca.pem")), alone.tlsCaFile());

        TemporalSettings both = temporal(
                "",
                Map.of(
                        "TEMPORAL_TLS_CERT_FILE", "/old/client.pem",
                        "TEMPORAL_TLS_CLIENT_CERT_PATH", "/new/client.pem",
                        "TEMPORAL_TLS_CA_FILE", "/old/ca.pem",
                        "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "/new/ca.pem"),
                Map.of());
        assertEquals(Optional.of(Path.of("/new/client.pem")), both.tlsCertFile());
        assertEquals(Optional.of(Path.of("/new/ca.pem")), both.tlsCaFile());
    }

    @Test
    void aProfileOfTheTomlFileSitsAboveThePropertiesFileAndBelowTheEnvironmentAndSystemProperties() throws IOException {
        Map<String, String> env = Map.of(
                "TEMPORAL_CONFIG_FILE", profiles().toString(),
                "TEMPORAL_PROFILE", "prod",
                "TEMPORAL_NAMESPACE", "from-env");
        TemporalSettings temporal = temporal("temporal.address=file:7233\ntemporal.task-queue=q\n", env, Map.of());

        assertEquals("prod.a1b2c.tmprl.cloud:7233", temporal.address());
        assertEquals("from-env", temporal.namespace());
        assertEquals("q", temporal.taskQueue());
        assertTrue(temporal.tls(), "a [tls] section turns TLS on");
        assertEquals(Optional.of(Path.of("/certs/prod.pem")), temporal.tlsCertFile());
        assertEquals(Optional.of(Path.of("/certs/ca.pem")), temporal.tlsCaFile());
        assertEquals(Optional.of("prod.a1b2c.tmprl.cloud"), temporal.tlsServerName());

        assertEquals(
                "sys:7233",
                temporal("", env, Map.of("temporal.address", "sys:7233")).address());
    }

    @Test
    void withoutTemporalProfileTheDefaultProfileIsRead() throws IOException {
        TemporalSettings temporal =
                temporal("", Map.of("TEMPORAL_CONFIG_FILE", profiles().toString()), Map.of());

        assertEquals("default.tmprl.cloud:7233", temporal.address());
        assertEquals("default-ns", temporal.namespace());
        assertFalse(temporal.tls());
    }

    @Test
    void whatTheServiceCannotHonourStopsTheStartNamingIt() throws IOException {
        Path toml = profiles();
        ConfigException missingProfile = assertThrows(
                ConfigException.class,
                () -> temporal(
                        "", Map.of("TEMPORAL_CONFIG_FILE", toml.toString(), "TEMPORAL_PROFILE", "stage"), Map.of()));
        assertTrue(missingProfile.getMessage().contains("profile stage"), missingProfile.getMessage());

        ConfigException inline = assertThrows(
                ConfigException.class,
                () -> temporal(
                        "", Map.of("TEMPORAL_CONFIG_FILE", toml.toString(), "TEMPORAL_PROFILE", "inline"), Map.of()));
        assertTrue(inline.getMessage().contains("client_cert_data"), inline.getMessage());

        ConfigException data = assertThrows(
                ConfigException.class,
                () -> temporal("", Map.of("TEMPORAL_TLS_CLIENT_KEY_DATA", "-----BEGIN"), Map.of()));
        assertTrue(data.getMessage().contains("TEMPORAL_TLS_CLIENT_KEY_DATA"), data.getMessage());

        Path broken = dir.resolve("broken.toml");
        Files.writeString(broken, "[profile.default\naddress = ");
        ConfigException unreadable = assertThrows(
                ConfigException.class, () -> temporal("", Map.of("TEMPORAL_CONFIG_FILE", broken.toString()), Map.of()));
        assertTrue(unreadable.getMessage().contains(broken.toString()), unreadable.getMessage());
    }

    @Test
    void theStandardNamesAreKnownToToolsThatSetTheEnvironment() {
        assertEquals(
                Optional.of("temporal.tls.cert-file"), EnvironmentVariables.settingOf("TEMPORAL_TLS_CLIENT_CERT_PATH"));
        assertEquals(Optional.of("temporal.tls.cert-file"), EnvironmentVariables.settingOf("TEMPORAL_TLS_CERT_FILE"));
        assertEquals(Optional.of("temporal.tls.enabled"), EnvironmentVariables.settingOf("TEMPORAL_TLS"));
    }
}
