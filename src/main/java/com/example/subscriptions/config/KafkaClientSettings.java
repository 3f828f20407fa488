package com.example.subscriptions.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The {@code kafka.*} settings, handed as they are to every consumer, producer and admin client. */
public record KafkaClientSettings(Map<String, String> properties) {

    private static final Set<String> CONSUMER = ConsumerConfig.configNames();
    private static final Set<String> PRODUCER = ProducerConfig.configNames();
    private static final Set<String> ADMIN = AdminClientConfig.configNames();

    public KafkaClientSettings {
        properties = Map.copyOf(properties);
    }

    /** The {@code kafka.*} settings that have a value, without their prefix. */
    static KafkaClientSettings read(Values v) {
        Map<String, String> properties = new LinkedHashMap<>();
        v.withPrefix(ConfigSources.KAFKA_PREFIX)
                .forEach((key, value) -> properties.put(key.substring(ConfigSources.KAFKA_PREFIX.length()), value));
        return new KafkaClientSettings(properties);
    }

    static boolean isKnownClientSetting(String key) {
        return CONSUMER.contains(key) || PRODUCER.contains(key) || ADMIN.contains(key);
    }

    public String bootstrapServers() {
        return properties.get("bootstrap.servers");
    }

    public Properties forConsumer() {
        return only(CONSUMER);
    }

    /**
     * For a consumer outside any group that assigns itself partitions: no group settings (a pod's static membership
     * id must never reach a reader or the CLI, which would fence the pod's own consumer), nothing committed, and no
     * topic created by reading it (the broker's defaults are not the service's).
     */
    public Properties forGrouplessConsumer() {
        Properties props = forConsumer();
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return props;
    }

    public Properties forProducer() {
        return only(PRODUCER);
    }

    public Properties forAdmin() {
        return only(ADMIN);
    }

    /** The settings for a log line: anything that may hold a secret is hidden. */
    public Map<String, String> redacted() {
        Map<String, String> shown = new java.util.TreeMap<>();
        properties.forEach((key, value) -> shown.put(key, isSecret(key) ? "[hidden]" : value));
        return shown;
    }

    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password")
                || lower.contains("jaas")
                || lower.contains("secret")
                || lower.contains("token")
                || lower.contains("credential")
                || lower.endsWith(".key");
    }

    private Properties only(Set<String> names) {
        Properties selected = new Properties();
        Set<String> keys = new HashSet<>(properties.keySet());
        keys.retainAll(names);
        keys.forEach(key -> selected.setProperty(key, properties.get(key)));
        return selected;
    }
}
