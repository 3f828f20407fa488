package com.example.subscriptions.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.subscriptions.devstack.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Topic ids and partition counts from the real broker; a topic deleted and created again gets a new id. */
class AdminTopicCatalogIT {

    @Test
    void describesTopicsRemembersThemAndLooksThemUpAgainOnceForgotten() throws Exception {
        String topic = "catalog-" + UUID.randomUUID();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            AdminTopicCatalog catalog = new AdminTopicCatalog(admin, Duration.ofSeconds(10), Duration.ofMinutes(5));
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // The broker answers "unknown topic" for a moment after a topic is created (its metadata trails the
            // controller's): the catalog is asked once the broker knows the topic.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> admin.describeTopics(List.of(topic))
                                    .allTopicNames()
                                    .get(30, TimeUnit.SECONDS)
                                    .get(topic)
                                    .partitions()
                                    .size()
                            == 3);

            CompletionStage<TopicCatalog.TopicFacts> first = catalog.describe(topic);
            TopicCatalog.TopicFacts facts = first.toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(3, facts.partitions());
            assertSame(first, catalog.describe(topic), "a second describe within maxAge asks nobody");

            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                return true;
            });
            // The new topic reaches the broker's metadata a moment after its creation is acknowledged, and a busy
            // machine makes that moment long: the service retries such a lookup, and so does this.
            TopicCatalog.TopicFacts[] found = new TopicCatalog.TopicFacts[1];
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                catalog.forget(List.of(topic));
                found[0] = catalog.describe(topic).toCompletableFuture().get(30, TimeUnit.SECONDS);
                return !found[0].id().equals(facts.id());
            });
            TopicCatalog.TopicFacts recreated = found[0];

            assertNotEquals(facts.id(), recreated.id());
            assertEquals(2, recreated.partitions());
        }
    }

    @Test
    void aTopicThatDoesNotExistOrCannotFailsWithKafkasOwnReasonAndIsNotRemembered() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            AdminTopicCatalog catalog = new AdminTopicCatalog(admin, Duration.ofSeconds(10), Duration.ofMinutes(5));
            String missing = "missing-" + UUID.randomUUID();

            ExecutionException unknown = assertThrows(
                    ExecutionException.class,
                    () -> catalog.describe(missing).toCompletableFuture().get(30, TimeUnit.SECONDS));
            ExecutionException invalid = assertThrows(
                    ExecutionException.class,
                    () -> catalog.describe("not a topic!").toCompletableFuture().get(30, TimeUnit.SECONDS));

            assertInstanceOf(UnknownTopicOrPartitionException.class, unknown.getCause());
            assertInstanceOf(InvalidTopicException.class, invalid.getCause());
            admin.createTopics(List.of(new NewTopic(missing, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> catalog.describe(missing)
                                    .toCompletableFuture()
                                    .get(10, TimeUnit.SECONDS)
                                    .partitions()
                            == 1);
        }
    }
}
