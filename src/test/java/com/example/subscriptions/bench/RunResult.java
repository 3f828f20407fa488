package com.example.subscriptions.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One timed run: {@code n} operations, when the first was sent, the wall time from then to the last one answered, each
 * operation's latency, and what the operations answered (outcomes, statuses, errors).
 */
record RunResult(
        String name,
        int n,
        long startNanos,
        long durationNanos,
        long[] latencyNanos,
        Map<String, Integer> outcomes,
        int unanswered) {

    double throughputPerSecond() {
        return durationNanos <= 0 ? 0 : n * 1e9 / durationNanos;
    }

    double percentileMillis(double p) {
        long[] sorted = sortedLatencies();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // Nearest rank: the smallest value with at least p of the samples at or below it.
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    double meanMillis() {
        return Arrays.stream(latencyNanos).average().orElse(Double.NaN) / 1e6;
    }

    double maxMillis() {
        return Arrays.stream(latencyNanos).max().orElse(0) / 1e6;
    }

    private long[] sortedLatencies() {
        long[] copy = latencyNanos.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** Several rounds of the same run as one: throughput over the summed time, percentiles over all samples. */
    static RunResult pool(String name, List<RunResult> rounds) {
        int n = 0;
        long nanos = 0;
        int unanswered = 0;
        List<long[]> all = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (RunResult r : rounds) {
            n += r.n;
            nanos += r.durationNanos;
            unanswered += r.unanswered;
            all.add(r.latencyNanos);
            r.outcomes.forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
        }
        long[] latencies = all.stream().flatMapToLong(Arrays::stream).toArray();
        return new RunResult(
                name, n, rounds.isEmpty() ? 0 : rounds.get(0).startNanos, nanos, latencies, outcomes, unanswered);
    }

    Map<String, Object> latencyJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", round(percentileMillis(50)));
        m.put("p95", round(percentileMillis(95)));
        m.put("p99", round(percentileMillis(99)));
        m.put("max", round(maxMillis()));
        m.put("mean", round(meanMillis()));
        return m;
    }

    static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 100.0) / 100.0;
    }
}
