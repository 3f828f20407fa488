package com.example.subscriptions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {

    private static final String ARN = "arn:aws:sns:eu-west-1:123456789012:ses-notices";
    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @Test
    void bothWebhooksAreOffUntilConfigured() {
        WebhookSettings webhooks = Settings.of(Map.of()).webhooks();
        assertFalse(webhooks.sesEnabled());
        assertFalse(webhooks.genericEnabled());
        assertEquals(Duration.ofMinutes(5), webhooks.tolerance());
    }

    @Test
    void topicsAndKeysAreCommaSeparatedAndTheKeysNeverShow() {
        WebhookSettings webhooks = Settings.of(Map.of(
                        "webhooks.ses.topic-arns", ARN + ", arn:aws-cn:sns:cn-north-1:123456789012:other",
                        "webhooks.secrets", KEY + "," + KEY.toUpperCase(java.util.Locale.ROOT)))
                .webhooks();
        assertEquals(2, webhooks.sesTopicArns().size());
        assertEquals(List.of(KEY, KEY.toUpperCase(java.util.Locale.ROOT)), webhooks.secrets());
        assertTrue(webhooks.sesEnabled() && webhooks.genericEnabled());
        assertFalse(webhooks.toString().contains(KEY), webhooks.toString());
    }

    @Test
    void aShortKeyOrSomethingThatIsNoTopicArnStopsTheStartNamingTheSetting() {
        ConfigException shortKey =
                assertThrows(ConfigException.class, () -> Settings.of(Map.of("webhooks.secrets", "too-short")));
        assertTrue(shortKey.getMessage().contains("webhooks.secrets"), shortKey.getMessage());
        ConfigException notArn = assertThrows(
                ConfigException.class, () -> Settings.of(Map.of("webhooks.ses.topic-arns", "ses-notices")));
        assertTrue(notArn.getMessage().contains("webhooks.ses.topic-arns"), notArn.getMessage());
    }
}
