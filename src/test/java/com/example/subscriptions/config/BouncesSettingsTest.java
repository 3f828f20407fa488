package com.example.subscriptions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BouncesSettingsTest {

    private static Settings fromEnvironment(Map<String, String> env) {
        return Settings.from(ConfigSources.merge(Settings.DEFAULTS, null, env, new Properties()));
    }

    @Test
    void theMailboxIsOffUntilAHostIsSet() {
        BouncesSettings bounces = Settings.of(Map.of()).bounces();
        assertFalse(bounces.enabled());
        assertEquals(Duration.ofMinutes(1), bounces.pollInterval());
        assertEquals(BouncesSettings.Tls.IMPLICIT, bounces.tls());
        assertEquals(993, bounces.port());
        assertTrue(Settings.of(Map.of()).roles().contains(Settings.Role.BOUNCES));
    }

    @Test
    void everySettingComesFromTheEnvironmentAndThePasswordIsNeverShown() {
        BouncesSettings bounces = fromEnvironment(Map.of(
                        "BOUNCES_IMAP_HOST", "imap.example.com",
                        "BOUNCES_IMAP_PORT", "143",
                        "BOUNCES_IMAP_TLS", "starttls-required",
                        "BOUNCES_IMAP_USERNAME", "bounces@example.com",
                        "BOUNCES_IMAP_PASSWORD", "imap-secret",
                        "BOUNCES_IMAP_FOLDER", "Bounces",
                        "BOUNCES_IMAP_HANDLED", "delete",
                        "BOUNCES_IMAP_POLL_INTERVAL", "PT10S",
                        "BOUNCES_IMAP_TIMEOUT", "PT5S"))
                .bounces();

        assertEquals(Optional.of("imap.example.com"), bounces.host());
        assertEquals(143, bounces.port());
        assertEquals(BouncesSettings.Tls.STARTTLS_REQUIRED, bounces.tls());
        assertEquals("Bounces", bounces.folder());
        assertEquals(BouncesSettings.Handled.DELETE, bounces.handled());
        assertEquals(Duration.ofSeconds(10), bounces.pollInterval());
        assertEquals(Duration.ofSeconds(5), bounces.timeout());
        assertFalse(bounces.toString().contains("imap-secret"), bounces.toString());
        assertFalse(fromEnvironment(Map.of(
                        "BOUNCES_IMAP_HOST", "imap.example.com",
                        "BOUNCES_IMAP_USERNAME", "u",
                        "BOUNCES_IMAP_PASSWORD", "imap-secret"))
                .toString()
                .contains("imap-secret"));
    }

    @Test
    void mistakesFailNamingTheKey() {
        assertFailsNaming(Map.of("bounces.imap.host", "imap.example.com"), "bounces.imap.username");
        assertFailsNaming(Map.of("bounces.imap.tls", "starttls"), "bounces.imap.tls");
        assertFailsNaming(Map.of("bounces.imap.handled", "archive"), "bounces.imap.handled");
        assertFailsNaming(Map.of("bounces.imap.poll-interval", "60"), "bounces.imap.poll-interval");
        assertFailsNaming(Map.of("bounces.imap.port", "0"), "bounces.imap.port");
        assertFailsNaming(Map.of("bounces.imap.processed-folder", "inbox"), "bounces.imap.processed-folder");
    }

    private static void assertFailsNaming(Map<String, String> overrides, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.of(overrides));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
