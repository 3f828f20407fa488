package com.example.subscriptions.kafka;

import java.util.Collection;
import java.util.Map;

/**
 * The ids Kafka gives topics when it creates them. A topic deleted and created again under the same name gets a new
 * id, and its offsets start again at 0: a name and an offset alone do not say which record they mean.
 */
@FunctionalInterface
public interface TopicIds {

    /** The ids of those of {@code topics} that could be looked up; quick, and never throws. */
    Map<String, String> idsOf(Collection<String> topics);
}
