package com.example.subscriptions.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The baseline: the same calls made straight with the Temporal client from {@code concurrency} threads, each taking
 * the next item as soon as its call returned (what the bridge's pool of Temporal threads does at full load).
 */
final class DirectLoad implements AutoCloseable {

    private final ExecutorService threads;
    private final int concurrency;

    DirectLoad(int concurrency) {
        this.concurrency = concurrency;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "bench-direct-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** @param call returns what the call answered (an outcome or status), counted in the result */
    RunResult run(String name, List<String> items, Function<String, String> call, Duration timeout)
            throws InterruptedException {
        long[] latencies = new long[items.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicLong lastDone = new AtomicLong();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = System.nanoTime();
        Future<?>[] workers = new Future<?>[concurrency];
        for (int w = 0; w < concurrency; w++) {
            workers[w] = threads.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < items.size() && System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    String outcome;
                    try {
                        outcome = call.apply(items.get(i));
                    } catch (RuntimeException e) {
                        outcome = "ERROR " + e.getClass().getSimpleName();
                    }
                    long t1 = System.nanoTime();
                    latencies[i] = Math.max(1, t1 - t0);
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    lastDone.accumulateAndGet(t1, Math::max);
                    done.incrementAndGet();
                }
            });
        }
        for (Future<?> worker : workers) {
            try {
                worker.get(
                        Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                worker.cancel(true);
            }
        }
        long[] answered = java.util.Arrays.stream(latencies).filter(l -> l > 0).toArray();
        Map<String, Integer> counted = new TreeMap<>();
        outcomes.forEach((k, v) -> counted.put(k, v.get()));
        return new RunResult(
                name,
                answered.length,
                start,
                lastDone.get() - start,
                answered,
                counted,
                items.size() - answered.length);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
