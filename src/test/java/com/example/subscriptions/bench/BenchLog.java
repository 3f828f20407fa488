package com.example.subscriptions.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this JVM's logs (broker, Temporal test server, worker) to a file, so the console shows the benchmark, and
 * counts the warnings and errors by logger so the report can say that something went wrong, and where.
 */
final class BenchLog {

    private static final Map<String, AtomicInteger> WARNINGS = new ConcurrentHashMap<>();

    private BenchLog() {}

    static void toFile(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("BENCH-FILE");
        appender.setFile(file.toString());
        appender.setAppend(false);
        appender.setEncoder(encoder);
        appender.start();
        AppenderBase<ILoggingEvent> counter = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                    String what = event.getLoggerName()
                            + (event.getThrowableProxy() != null
                                    ? " (" + event.getThrowableProxy().getClassName() + ")"
                                    : "");
                    WARNINGS.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
                }
            }
        };
        counter.setContext(context);
        counter.setName("BENCH-COUNTER");
        counter.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.addAppender(counter);
    }

    /** Warnings and errors logged in this JVM so far, by logger (and exception). */
    static Map<String, Integer> warnings() {
        Map<String, Integer> counts = new TreeMap<>();
        WARNINGS.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }
}
