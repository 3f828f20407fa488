package com.example.subscriptions.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScrapeTest {

    private static final Scrape SCRAPE = Scrape.parse("""
            # HELP a_seconds latency
            # TYPE a_seconds histogram
            a_seconds_bucket{le="+Inf"} 1
            a_seconds_count 1
            a_seconds_sum 0.5
            # TYPE b_seconds summary
            b_seconds_count{result="sent"} 0
            b_seconds_sum{result="sent"} 0.0
            # TYPE c_total counter
            c_total 3.0
            """);

    @Test
    void aNameIsReadableWhenItsSeriesIsThereAndItsSuffixFitsItsFamily() {
        assertEquals(Optional.empty(), SCRAPE.problemWith("a_seconds_bucket"));
        assertEquals(Optional.empty(), SCRAPE.problemWith("a_seconds_count"));
        assertEquals(Optional.empty(), SCRAPE.problemWith("b_seconds_sum"));
        assertEquals(Optional.empty(), SCRAPE.problemWith("c_total"));
    }

    @Test
    void aNameWithoutItsSeriesIsAProblem() {
        assertEquals(Optional.of("not in the scrape"), SCRAPE.problemWith("b_seconds_bucket"));
        assertEquals(Optional.of("not in the scrape"), SCRAPE.problemWith("a_seconds"));
        assertEquals(Optional.of("not in the scrape"), SCRAPE.problemWith("d_total"));
    }
}
