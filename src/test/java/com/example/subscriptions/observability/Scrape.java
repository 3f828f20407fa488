package com.example.subscriptions.observability;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The sample names of a scrape in Prometheus' text format, and the type of each family. */
record Scrape(Set<String> samples, Map<String, String> types) {

    private static final List<String> SUFFIXES = List.of("_bucket", "_sum", "_count");

    static Scrape parse(String text) {
        Set<String> samples = new HashSet<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                String[] words = line.split(" ");
                types.put(words[2], words[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int end = line.indexOf('{');
                samples.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
            }
        }
        return new Scrape(samples, types);
    }

    /**
     * Why {@code name} cannot be read from this scrape, if it cannot: not there, or a histogram's series read from a
     * family of another type ({@code histogram_quantile} over a summary's {@code _count} reads nothing).
     */
    Optional<String> problemWith(String name) {
        if (!samples.contains(name)) {
            return Optional.of("not in the scrape");
        }
        for (String suffix : SUFFIXES) {
            String family = name.substring(0, name.length() - suffix.length());
            if (name.endsWith(suffix) && !types.containsKey(name) && types.containsKey(family)) {
                String type = types.get(family);
                boolean fits = suffix.equals("_bucket") ? type.equals("histogram") : !type.equals("counter");
                return fits ? Optional.empty() : Optional.of("a " + suffix + " series of a " + type);
            }
        }
        return Optional.empty();
    }
}
