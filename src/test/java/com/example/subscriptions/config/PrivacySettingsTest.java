package com.example.subscriptions.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacySettingsTest {

    private static final String K1 = base64(1, 32);
    private static final String K2 = base64(2, 32);
    private static final String ID_KEY = base64(9, 32);

    private static String base64(int fill, int length) {
        byte[] key = new byte[length];
        Arrays.fill(key, (byte) fill);
        return Base64.getEncoder().encodeToString(key);
    }

    private static Settings with(Map<String, String> overrides) {
        return Settings.of(overrides);
    }

    @Test
    void offByDefault() {
        PrivacySettings privacy = with(Map.of()).privacy();
        assertFalse(privacy.enabled());
        assertTrue(privacy.payloadKeys().isEmpty());
        assertTrue(privacy.idKey().isEmpty());
    }

    @Test
    void keysFromTheEnvironmentInOrderTheFirstEncrypts() {
        Settings settings = Settings.load(
                java.util.Optional.empty(),
                Map.of(
                        "PRIVACY_ENABLED",
                        "true",
                        "PRIVACY_KEYS",
                        "new:" + K2 + ", old:" + K1,
                        "PRIVACY_ID_KEY",
                        ID_KEY),
                new Properties(),
                Map.of());
        PrivacySettings privacy = settings.privacy();
        assertTrue(privacy.enabled());
        assertEquals(List.of("new", "old"), List.copyOf(privacy.payloadKeys().keySet()));
        assertArrayEquals(Base64.getDecoder().decode(K1), privacy.payloadKeys().get("old"));
        assertEquals(32, privacy.idKey().orElseThrow().length);
    }

    @Test
    void keysFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys");
        Files.writeString(file, "k2:" + K2 + "\nk1:" + K1 + "\n");
        PrivacySettings privacy = with(Map.of(
                        "privacy.enabled", "true", "privacy.keys-file", file.toString(), "privacy.id-key", ID_KEY))
                .privacy();
        assertEquals(List.of("k2", "k1"), List.copyOf(privacy.payloadKeys().keySet()));
    }

    @Test
    void badKeysStopTheStartWithAMessageThatNamesTheSettingButNotTheKey() {
        assertRefused(Map.of("privacy.enabled", "true", "privacy.id-key", ID_KEY), "exactly one of 'privacy.keys'");
        assertRefused(Map.of("privacy.enabled", "true", "privacy.keys", "k1:" + K1), "'privacy.id-key' must be set");
        assertRefused(
                Map.of("privacy.enabled", "true", "privacy.keys", "k1:" + base64(1, 16), "privacy.id-key", ID_KEY),
                "key 'k1' is 16 bytes, AES-256 needs 32");
        assertRefused(
                Map.of("privacy.enabled", "true", "privacy.keys", "k1:not*base64", "privacy.id-key", ID_KEY),
                "key 'k1' is not valid base64");
        assertRefused(Map.of("privacy.enabled", "true", "privacy.keys", K1, "privacy.id-key", ID_KEY), "valid key id");
        assertRefused(
                Map.of("privacy.enabled", "true", "privacy.keys", "a:" + K1 + ",a:" + K2, "privacy.id-key", ID_KEY),
                "names key id 'a' twice");
        assertRefused(
                Map.of("privacy.enabled", "true", "privacy.keys", "a:" + K1, "privacy.id-key", base64(3, 16)),
                "at least 32 bytes");
    }

    @Test
    void neverPrintsKeys() {
        PrivacySettings privacy = with(Map.of(
                        "privacy.enabled", "true", "privacy.keys", "k1:" + K1, "privacy.id-key", ID_KEY))
                .privacy();
        assertFalse(privacy.toString().contains(K1));
        assertFalse(privacy.toString().contains(ID_KEY));
        assertTrue(privacy.toString().contains("k1"));
    }

    private static void assertRefused(Map<String, String> overrides, String expected) {
        ConfigException refused = assertThrows(ConfigException.class, () -> with(overrides));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
        assertFalse(refused.getMessage().contains(K1) || refused.getMessage().contains(ID_KEY), refused.getMessage());
    }

    private static Map<String, String> privacyOn(String... more) {
        Map<String, String> settings = new java.util.HashMap<>(
                Map.of("privacy.enabled", "true", "privacy.keys", "k1:" + K1, "privacy.id-key", ID_KEY));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    @Test
    void theCodecServerIsOffUnlessItsPortIsSet() {
        assertTrue(with(Map.of()).codecServer().port().isEmpty());
        assertTrue(with(privacyOn()).codecServer().port().isEmpty());
    }

    @Test
    void theCodecServerNeedsPrivacyModeALongTokenAndAnOrigin() {
        String token = "t".repeat(32);
        CodecServerSettings codec = with(privacyOn(
                        "codec-server.port", "8082",
                        "codec-server.token", token,
                        "codec-server.cors-origin", "http://localhost:8233"))
                .codecServer();
        assertEquals(8082, codec.port().orElseThrow());
        assertEquals("http://localhost:8233", codec.corsOrigin().orElseThrow());
        assertFalse(codec.toString().contains(token));

        assertRefused(Map.of("codec-server.port", "8082", "codec-server.token", token), "needs privacy.enabled=true");
        assertRefused(privacyOn("codec-server.port", "8082", "codec-server.token", "short"), "at least 32 characters");
        assertRefused(
                privacyOn("codec-server.port", "8082", "codec-server.token", token, "codec-server.cors-origin", "*"),
                "must be an origin");
    }
}
