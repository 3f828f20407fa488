package com.example.subscriptions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {

    private final KafkaClientSettings settings = new KafkaClientSettings(Map.of(
            "bootstrap.servers", "broker:9092",
            "group.id", "subscriptions",
            "group.instance.id", "subscriptions-commands-0",
            "group.protocol", "consumer",
            "enable.auto.commit", "true",
            "security.protocol", "SSL",
            "acks", "all"));

    @Test
    void aGrouplessConsumerNeverCarriesThePodsStaticMembership() {
        Properties props = settings.forGrouplessConsumer();

        assertFalse(props.containsKey(ConsumerConfig.GROUP_ID_CONFIG));
        assertFalse(props.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertFalse(props.containsKey(ConsumerConfig.GROUP_PROTOCOL_CONFIG));
        assertEquals("false", props.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("false", props.get(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG));
        assertEquals("SSL", props.get("security.protocol"));
        assertEquals("broker:9092", props.get("bootstrap.servers"));
    }

    @Test
    void aConsumerGetsOnlyConsumerSettings() {
        assertFalse(settings.forConsumer().containsKey("acks"));
        assertEquals("all", settings.forProducer().get("acks"));
    }
}
