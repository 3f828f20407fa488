package com.example.subscriptions.app;

import com.example.subscriptions.kafka.ConsumerLoop;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link ConsumerLoop} on its own thread; tells {@code onFailure} if the loop ends on an error. */
final class ConsumerRole {

    private static final Logger log = LoggerFactory.getLogger(ConsumerRole.class);

    private final String name;
    private final ConsumerLoop loop;
    private final Thread thread;

    ConsumerRole(String name, ConsumerLoop loop, BiConsumer<String, Throwable> onFailure) {
        this.name = name;
        this.loop = loop;
        this.thread = new Thread(
                () -> {
                    loop.run();
                    loop.health().failure().ifPresent(error -> onFailure.accept(name, error));
                },
                name);
        thread.setUncaughtExceptionHandler((t, e) -> {
            log.error("{} stopped: {}", name, e.toString());
            onFailure.accept(name, e);
        });
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
