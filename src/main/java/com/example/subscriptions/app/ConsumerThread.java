package com.example.subscriptions.app;

import com.example.subscriptions.kafka.ConsumerLoop;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link ConsumerLoop} on its own thread; tells {@code onFailure} if the loop ends on an error. */
final class ConsumerThread implements ServiceHealth.Consumer {

    private static final Logger log = LoggerFactory.getLogger(ConsumerThread.class);

    private final String name;
    private final ConsumerLoop loop;
    private final Thread thread;

    ConsumerThread(String name, ConsumerLoop loop, BiConsumer<String, Throwable> onFailure) {
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

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean running() {
        return thread.isAlive();
    }

    @Override
    public boolean member() {
        return loop.health().member();
    }

    @Override
    public boolean stalled() {
        return loop.health().stalled();
    }

    /** Asks the loop to start nothing more and drain; returns at once. */
    void requestStop() {
        loop.stop();
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
