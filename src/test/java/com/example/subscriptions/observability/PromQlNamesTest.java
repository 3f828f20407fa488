package com.example.subscriptions.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlNamesTest {

    @Test
    void namesAreWhatRemainsAfterFunctionsLabelsRangesAndKeywords() {
        assertEquals(
                Set.of("subscriptions_details_latency_seconds_bucket"),
                PromQlNames.of("histogram_quantile(0.99, sum by (le) (rate("
                        + "subscriptions_details_latency_seconds_bucket{role=\"responder\", x=~\"a|b{1}\"}[5m])))"));
        assertEquals(
                Set.of("a_total", "b_total", "up"),
                PromQlNames.of("sum without (topic) (increase(a_total[10m] offset 1h)) > 0 and on (role) b_total"
                        + " unless up == bool 1e3"));
    }

    @Test
    void grafanaVariablesAreNotNames() {
        assertEquals(
                Set.of("temporal_request_failure_total"),
                PromQlNames.of("sum(rate(temporal_request_failure_total{instance=~\"$instance\"}[$__rate_interval]))"
                        + " / ${denominator}"));
    }
}
