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
        Settings settings = load(
                "temporal.address=file:1\ntemporal.namespace=file-ns\ncommands.max-in-flight=8\n",
                Map.of("TEMPORAL_ADDRESS", "env:2", "TEMPORAL_NAMESPACE", "env-ns"),
                Map.of("temporal.namespace", "sys-ns"));

        assertEquals("env:2", settings.temporal().address());
        assertEquals("sys-ns", settings.temporal().namespace());
        assertEquals(8, settings.commands().maxInFlight());
    }

    @Test
    void kafkaPrefixedEnvironmentVariablesPassThroughToTheClients() throws IOException {
        Settings settings = load(
                "",
                Map.of(
                        "KAFKA_SECURITY_PROTOCOL",
                        "SASL_PLAINTEXT",
                        "KAFKA_SASL_MECHANISM",
                        "PLAIN",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "broker:9093",
                        "KAFKA_HEAP_OPTS",
                        "-Xmx1g"),
                Map.of());

        assertEquals("SASL_PLAINTEXT", settings.kafka().forConsumer().getProperty("security.protocol"));
        assertEquals("PLAIN", settings.kafka().forProducer().getProperty("sasl.mechanism"));
        assertEquals("broker:9093", settings.kafka().bootstrapServers());
    }

    @Test
    void secretsAreHiddenWhenSettingsAreShown() throws IOException {
        Settings settings = load(
                "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"u\" password=\"s3cret\";\nkafka.ssl.truststore.password=pw\n"
                        + "temporal.api-key=k3y\n",
                Map.of(),
                Map.of());

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
        ConfigException e =
                assertThrows(ConfigException.class, () -> load("", Map.of("KAFKA_SECURITY_PROTOCL", "SSL"), Map.of()));
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
        assertFailsNaming("unsubscribe.rate-limit=0\n", "unsubscribe.rate-limit");
        assertFailsNaming("unsubscribe.click-window=30\n", "unsubscribe.click-window");
        assertFailsNaming("unsubscribe.header-timeout=PT0S\n", "unsubscribe.header-timeout");
        assertFailsNaming("unsubscribe.max-connections=-1\n", "unsubscribe.max-connections");
        assertFailsNaming("mail.max-per-second=0\n", "mail.max-per-second");
        assertFailsNaming("mail.max-per-second-per-worker=fast\n", "mail.max-per-second-per-worker");
        assertFailsNaming("subscription.double-opt-in=yes\n", "subscription.double-opt-in");
        assertFailsNaming("subscription.confirm-within=2d\n", "subscription.confirm-within");
    }

    @Test
    void theSendRateIsUnlimitedUnlessSetAndMayBeAFraction() {
        assertEquals(java.util.Optional.empty(), Settings.of(Map.of()).mail().maxPerSecond());
        Settings set = Settings.of(Map.of("mail.max-per-second", "14", "mail.max-per-second-per-worker", "0.5"));
        assertEquals(java.util.Optional.of(14.0), set.mail().maxPerSecond());
        assertEquals(java.util.Optional.of(0.5), set.mail().maxPerSecondPerWorker());
    }

    @Test
    void doubleOptInIsOffByDefaultWithTwoDaysToConfirmAndAnHourBetweenConfirmations() {
        CommandSettings commands = Settings.of(Map.of()).commands();
        assertEquals(false, commands.doubleOptIn());
        assertEquals(java.time.Duration.ofDays(2), commands.confirmWithin());
        assertEquals(java.time.Duration.ofHours(1), commands.confirmResendAfter());
    }

    @Test
    void thePublicListenersSettingsComeFromTheEnvironmentLikeAnyOther() throws IOException {
        Settings settings = load(
                "",
                Map.of(
                        "UNSUBSCRIBE_TRUSTED_PROXIES", " 10.0.0.0/8, ,fd00::/8 ",
                        "UNSUBSCRIBE_BIND_ADDRESS", "127.0.0.1",
                        "SERVER_BIND_ADDRESS", "10.1.2.3",
                        "UNSUBSCRIBE_HEADER_TIMEOUT", "PT3S"),
                Map.of());

        assertEquals(
                java.util.List.of("10.0.0.0/8", "fd00::/8"),
                settings.unsubscribe().trustedProxies());
        assertEquals(java.util.Optional.of("127.0.0.1"), settings.unsubscribe().bindAddress());
        assertEquals(java.util.Optional.of("10.1.2.3"), settings.serverBindAddress());
        assertEquals(Duration.ofSeconds(3), settings.unsubscribe().headerTimeout());
        Settings defaults = Settings.of(Map.of());
        assertTrue(defaults.unsubscribe().trustedProxies().isEmpty());
        assertTrue(defaults.serverBindAddress().isEmpty());
        assertEquals(120, defaults.unsubscribe().rateLimit());
        assertEquals(Duration.ofSeconds(30), defaults.unsubscribe().clickWindow());
        assertEquals(Duration.ofSeconds(10), defaults.unsubscribe().bodyTimeout());
        assertEquals(512, defaults.unsubscribe().maxConnections());
    }

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void smtpSettingsComeFromEnvironmentAndMailSmtpKeysPassThroughByTheirDocumentedNames() throws IOException {
        Settings settings = load(
                "mail.sender=smtp\nmail.from=News <news@example.com>\n",
                Map.of(
                        "MAIL_HOST",
                        "smtp.example.com",
                        "MAIL_PORT",
                        "465",
                        "MAIL_TLS",
                        "implicit",
                        "MAIL_USERNAME",
                        "apikey",
                        "MAIL_PASSWORD",
                        "pw-s3cret",
                        "UNSUBSCRIBE_SECRET",
                        SECRET,
                        "MAIL_SMTP_SSL_TRUST",
                        "smtp.example.com",
                        "MAIL_SMTP_SSL_SOCKETFACTORY_CLASS",
                        "javax.net.ssl.SSLSocketFactory",
                        "MAIL",
                        "/var/mail/root"),
                Map.of("mail.mime.splitlongparameters", "false"));

        MailSettings mail = settings.mail();
        assertEquals(MailSettings.Sender.SMTP, mail.sender());
        assertEquals("smtp.example.com", mail.host().orElseThrow());
        assertEquals(465, mail.port());
        assertEquals(MailSettings.Tls.IMPLICIT, mail.tls());
        assertEquals("News <news@example.com>", mail.from().orElseThrow());
        assertEquals(
                Map.of(
                        "mail.smtp.ssl.trust",
                        "smtp.example.com",
                        "mail.smtp.ssl.socketFactory.class",
                        "javax.net.ssl.SSLSocketFactory"),
                mail.smtpProperties());
        assertEquals(Path.of("config", "mail"), mail.templatesDir());
        assertEquals(SECRET, settings.unsubscribe().secret().orElseThrow());
        String shown = mail + " " + settings.unsubscribe();
        assertTrue(!shown.contains("pw-s3cret") && !shown.contains(SECRET), shown);
    }

    @Test
    void theLogSenderIsTheDefaultAndNeedsNoMailSettings() {
        Settings settings = Settings.of(Map.of());
        assertEquals(MailSettings.Sender.LOG, settings.mail().sender());
        assertEquals(MailSettings.Tls.STARTTLS_REQUIRED, settings.mail().tls());
        assertEquals(587, settings.mail().port());
        assertEquals(8081, settings.unsubscribe().port());
        assertTrue(settings.unsubscribe().secret().isEmpty()
                && settings.unsubscribe().baseUrl().isEmpty());
        assertTrue(settings.roles().contains(Settings.Role.UNSUBSCRIBE));
    }

    @Test
    void theSmtpSenderNeedsHostFromAndALongEnoughSecret() {
        String smtp = "mail.sender=smtp\nmail.host=smtp.example.com\nmail.from=news@example.com\n";
        assertFailsNaming(
                "mail.sender=smtp\nmail.from=news@example.com\nunsubscribe.secret=" + SECRET + "\n", "mail.host");
        assertFailsNaming(
                "mail.sender=smtp\nmail.host=smtp.example.com\nunsubscribe.secret=" + SECRET + "\n", "mail.from");
        assertFailsNaming(smtp, "unsubscribe.secret");
        assertFailsNaming(smtp + "unsubscribe.secret=too-short\n", "unsubscribe.secret");
        assertFailsNaming("unsubscribe.secret=too-short\n", "unsubscribe.secret");
    }

    @Test
    void malformedMailSettingsFailNamingTheKey() {
        assertFailsNaming("mail.sender=sendgrid\n", "mail.sender");
        assertFailsNaming("mail.tls=tls\n", "mail.tls");
        assertFailsNaming("mail.port=0\n", "mail.port");
        assertFailsNaming("mail.read-timeout=5s\n", "mail.read-timeout");
        assertFailsNaming("mail.password=pw\n", "mail.password");
        assertFailsNaming("unsubscribe.base-url=ftp://example.com\n", "unsubscribe.base-url");
        assertFailsNaming("unsubscribe.base-url=https://example.com/?a=b\n", "unsubscribe.base-url");
        assertFailsNaming("unsubscribe.port=-1\n", "unsubscribe.port");
        assertFailsNaming("roles=worker,unsubscriber\n", "roles");
    }

    @Test
    void unknownAndServiceOwnedMailSmtpKeysFailNamingTheKey() {
        assertFailsNaming("mail.smtp.ssl.trst=*\n", "mail.smtp.ssl.trst");
        ConfigException owned = assertThrows(
                ConfigException.class, () -> load("", Map.of("MAIL_SMTP_HOST", "smtp.example.com"), Map.of()));
        assertTrue(
                owned.getMessage().contains("'mail.smtp.host'")
                        && owned.getMessage().contains("'mail.host'"),
                owned.getMessage());
    }

    private void assertFailsNaming(String fileText, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(fileText, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
