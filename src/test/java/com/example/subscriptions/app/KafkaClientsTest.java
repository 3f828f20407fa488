package com.example.subscriptions.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.example.subscriptions.config.Settings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The service's required client settings on top of the user's {@code kafka.*}: which win and which give way. */
class KafkaClientsTest {

    private static KafkaClients clients(Map<String, String> kafka) {
        return new KafkaClients(Settings.of(kafka).kafka());
    }

    @Test
    void theLoopAloneCommitsWhateverTheUserSet() {
        Properties consumer = clients(Map.of(
                        "kafka.enable.auto.commit", "true",
                        "kafka.group.id", "theirs",
                        "kafka.client.id", "theirs"))
                .consumerProperties("subscription-commands", "subscriptions-commands", 64);

        assertEquals("false", consumer.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("subscription-commands", consumer.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("subscriptions-commands", consumer.get(ConsumerConfig.CLIENT_ID_CONFIG));
    }

    @Test
    void theClassicProtocolGetsTheIncrementalAssignorAndAShortSessionUnlessTheUserChose() {
        Properties defaults = clients(Map.of()).consumerProperties("g", "c", 64);
        assertEquals(
                CooperativeStickyAssignor.class.getName(),
                defaults.get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
        assertEquals("10000", defaults.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals("64", defaults.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        assertEquals("earliest", defaults.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));

        Properties chosen = clients(Map.of(
                        "kafka.session.timeout.ms", "45000",
                        "kafka.max.poll.records", "10",
                        "kafka.auto.offset.reset", "latest"))
                .consumerProperties("g", "c", 64);
        assertEquals("45000", chosen.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals("10", chosen.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        assertEquals("latest", chosen.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
    }

    @Test
    void theConsumerProtocolGetsNoneOfTheSettingsItRefuses() {
        Properties consumer =
                clients(Map.of("kafka.group.protocol", "consumer")).consumerProperties("g", "c", 64);

        assertFalse(consumer.containsKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
        assertFalse(consumer.containsKey(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertFalse(consumer.containsKey(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
    }

    @Test
    void producersAreDurableAndBoundedByDefault() {
        Properties producer = clients(Map.of()).producerProperties("p");
        assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("true", producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("10000", producer.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        assertEquals("p", producer.get(ProducerConfig.CLIENT_ID_CONFIG));

        Properties chosen =
                clients(Map.of("kafka.acks", "1", "kafka.max.block.ms", "500")).producerProperties("p");
        assertEquals("1", chosen.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("500", chosen.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
    }
}
