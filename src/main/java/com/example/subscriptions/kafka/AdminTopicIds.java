package com.example.subscriptions.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TopicIds} from the cluster's own description of the topics, through an admin client its caller owns. */
public final class AdminTopicIds implements TopicIds {

    private static final Logger log = LoggerFactory.getLogger(AdminTopicIds.class);

    private final Admin admin;
    private final Duration timeout;

    public AdminTopicIds(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    public Map<String, String> idsOf(Collection<String> topics) {
        Map<String, String> ids = new HashMap<>();
        try {
            Map<String, TopicDescription> described = admin
                    .describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            described.forEach((name, description) -> ids.put(name, description.topicId().toString()));
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not look up the ids of topics {}: {}", topics, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ids;
    }
}
