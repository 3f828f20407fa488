package com.example.subscriptions.faults;

import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.devstack.TestTemporal;
import com.example.subscriptions.it.ServiceFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The set-up the fault tests share. The rest of their harness: {@link CommandStreams} and {@link Traffic} produce,
 * {@link EventLog} reads what the service published, {@link SentEmails} records the worker's emails,
 * {@link ConsumerGroups} asks the cluster, {@link Invariant} is what they all assert at the end, and
 * {@code devstack.ServiceJvm} runs the service in a child JVM, to kill it.
 */
public final class FaultChecks {

    private FaultChecks() {}

    /**
     * Starts the test broker and Temporal service if this JVM has not yet: call it from {@code @BeforeAll}, so that
     * their start (slow on a busy machine) does not count against a test's {@code @Timeout}.
     */
    public static void startBackends() {
        TestKafka.bootstrapServers();
        TestTemporal.address();
    }

    /**
     * The settings of a service instance of this fixture (its topics, groups and task queue) with {@code partitions}
     * partitions and {@code extra} on top, as a map: for {@code Settings.of} in process, or for a child JVM.
     * Subscriptions get a one-hour interval, so each run sends its welcome and then waits.
     */
    public static Map<String, String> settings(ServiceFixture fixture, int partitions, Map<String, String> extra) {
        Map<String, String> values = fixture.values(
                Map.of("topics.partitions", String.valueOf(partitions), "subscription.interval", "PT1H"));
        values.putAll(extra);
        return values;
    }

    /** The settings with one more. */
    public static Map<String, String> with(Map<String, String> settings, String key, String value) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put(key, value);
        return copy;
    }

    /** Creates the fixture's six topics with {@code partitions} partitions each. */
    public static void createTopics(ServiceFixture fixture, int partitions) {
        Map<String, Integer> topics = new HashMap<>();
        fixture.topics.values().forEach(topic -> topics.put(topic, partitions));
        TestKafka.createTopics(topics);
    }

    /** Awaitility as these tests use it: in the calling thread, polled often, bounded. */
    public static ConditionFactory await(Duration timeout) {
        return Awaitility.await()
                .atMost(timeout)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100));
    }
}
