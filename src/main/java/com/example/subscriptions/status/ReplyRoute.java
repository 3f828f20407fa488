package com.example.subscriptions.status;

import java.util.Optional;

/**
 * Where and how a reply goes, as Spring's {@code ReplyingKafkaTemplate} asks: its topic, partition if one was
 * requested, and the correlation id to echo byte for byte.
 */
public record ReplyRoute(String topic, Optional<Integer> partition, Optional<byte[]> correlationId) {}
