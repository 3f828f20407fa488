package com.example.subscriptions.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code java -jar subscriptions.jar [--config FILE] [ROLE ...]}. */
class MainTest {

    @TempDir
    Path dir;

    @AfterEach
    void forgetTheRoles() {
        System.clearProperty("roles");
    }

    @Test
    void rolesOnTheCommandLineAreTheOnesThatRun() {
        Settings settings = Main.loadSettings(new String[] {"commands", "responder"});

        assertEquals(EnumSet.of(Settings.Role.COMMANDS, Settings.Role.RESPONDER), settings.roles());
    }

    @Test
    void aConfigFileIsReadInBothSpellings() throws Exception {
        Path file = Files.writeString(dir.resolve("app.properties"), "temporal.namespace=from-file\n");

        assertEquals(
                "from-file",
                Main.loadSettings(new String[] {"--config", file.toString()})
                        .temporal()
                        .namespace());
        assertEquals(
                "from-file",
                Main.loadSettings(new String[] {"--config=" + file, "worker"})
                        .temporal()
                        .namespace());
    }

    @Test
    void aMissingConfigFileOrNameStopsTheStartSayingWhy() {
        assertEquals(
                "Configuration file not found: " + dir.resolve("none.properties"),
                assertThrows(
                                ConfigException.class,
                                () -> Main.loadSettings(new String[] {
                                    "--config", dir.resolve("none.properties").toString()
                                }))
                        .getMessage());
        assertEquals(
                "--config needs a file name",
                assertThrows(ConfigException.class, () -> Main.loadSettings(new String[] {"--config"}))
                        .getMessage());
    }

    @Test
    void anUnknownRoleIsNamed() {
        assertEquals(
                "Setting 'roles' has unknown role 'mailer'; roles are worker, commands, responder, unsubscribe, bounces or all",
                assertThrows(ConfigException.class, () -> Main.loadSettings(new String[] {"mailer"}))
                        .getMessage());
    }
}
