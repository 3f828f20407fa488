package com.example.subscriptions.app;

import java.util.Locale;
import java.util.Optional;

/** One answer of {@code /metrics}: the exposition format the scraper asked for, and the text in it. */
record MetricsScrape(String contentType, String text) {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** OpenMetrics when the scraper's {@code Accept} names it (Prometheus does), else Prometheus' text format. */
    static String contentTypeFor(Optional<String> accept) {
        return accept.filter(a -> a.toLowerCase(Locale.ROOT).contains("application/openmetrics-text"))
                .map(a -> OPEN_METRICS)
                .orElse(PROMETHEUS_TEXT);
    }
}
