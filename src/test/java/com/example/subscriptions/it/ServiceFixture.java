package com.example.subscriptions.it;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.devstack.TestTemporal;
import com.example.subscriptions.workflow.EmailSender;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The service as users run it, against the test broker and Temporal service, with topics and groups of its own so
 * tests do not see each other's records.
 */
public final class ServiceFixture implements AutoCloseable {

    public final String suffix = UUID.randomUUID().toString().substring(0, 8);
    public final Map<String, String> topics = KafkaProbe.topicsFor(suffix);
    public final String taskQueue = "email_subscription-" + suffix;
    private Service service;
    private WorkflowServiceStubs stubs;

    public Settings settings(Map<String, String> overrides) {
        return Settings.of(values(overrides));
    }

    /** The settings of a service instance of this fixture (its topics, groups and task queue), as a map. */
    public Map<String, String> values(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(topics);
        values.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        values.put("temporal.address", TestTemporal.address());
        values.put("temporal.task-queue", taskQueue);
        values.put("commands.group-id", "commands-" + suffix);
        values.put("details.group-id", "details-" + suffix);
        values.put("topics.partitions", "3");
        values.put("shutdown.timeout", "PT10S");
        values.put("server.port", "0");
        values.put("unsubscribe.port", "0");
        values.putAll(overrides);
        return values;
    }

    public Service start(Map<String, String> overrides, EmailSender sender) {
        service = Service.start(settings(overrides), sender);
        return service;
    }

    /** Starts with the sender the settings name ({@code mail.sender}), as {@code java -jar} does. */
    public Service start(Map<String, String> overrides) {
        service = Service.start(settings(overrides));
        return service;
    }

    public String topic(String key) {
        return topics.get("topics." + key);
    }

    public WorkflowClient client() {
        if (stubs == null) {
            stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(TestTemporal.address())
                    .build());
        }
        return WorkflowClient.newInstance(
                stubs, WorkflowClientOptions.newBuilder().build());
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        if (stubs != null) {
            stubs.shutdownNow();
        }
    }
}
