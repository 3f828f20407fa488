package com.example.subscriptions.app;

import com.example.subscriptions.kafka.ConsumerLoop;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link ConsumerLoop} on its own thread. */
final class ConsumerRole {

    private static final Logger log = LoggerFactory.getLogger(ConsumerRole.class);

    private final String name;
    private final ConsumerLoop loop;
    private final Thread thread;

    ConsumerRole(String name, ConsumerLoop loop) {
        this.name = name;
        this.loop = loop;
        this.thread = new Thread(loop, name);
        thread.setUncaughtExceptionHandler((t, e) -> log.error("{} stopped: {}", name, e.toString()));
    }

    void start() {
        thread.start();
    }

    String name() {
        return name;
    }

    ConsumerLoop loop() {
        return loop;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    void stop(Duration timeout) {
        loop.stop();
        try {
            if (!loop.awaitStopped(timeout.plusSeconds(5))) {
                log.warn("{} did not stop within {}", name, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
