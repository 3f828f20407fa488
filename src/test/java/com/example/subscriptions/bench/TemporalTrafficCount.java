package com.example.subscriptions.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's calls to Temporal and their bytes so far, read from its Prometheus page
 * ({@code subscriptions_temporal_calls_total}, {@code subscriptions_temporal_bytes_total}), summed over methods.
 */
record TemporalTrafficCount(double calls, double bytes) {

    static final TemporalTrafficCount NONE = new TemporalTrafficCount(0, 0);

    private static final Pattern SAMPLE = Pattern.compile(
            "^(subscriptions_temporal_(?:calls|bytes)_total)\\{[^}]*}\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);

    static TemporalTrafficCount parse(String prometheusText) {
        double calls = 0;
        double bytes = 0;
        Matcher m = SAMPLE.matcher(prometheusText);
        while (m.find()) {
            double value = Double.parseDouble(m.group(2));
            if (m.group(1).equals("subscriptions_temporal_calls_total")) {
                calls += value;
            } else {
                bytes += value;
            }
        }
        return new TemporalTrafficCount(calls, bytes);
    }

    TemporalTrafficCount plus(TemporalTrafficCount other) {
        return new TemporalTrafficCount(calls + other.calls, bytes + other.bytes);
    }

    TemporalTrafficCount minus(TemporalTrafficCount other) {
        return new TemporalTrafficCount(calls - other.calls, bytes - other.bytes);
    }
}
