package com.example.subscriptions.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's knobs, all system properties ({@code -Dbench.n=2000}); where Kafka and Temporal are comes from
 * the environment as for the service ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code TEMPORAL_ADDRESS}), else an embedded
 * broker and Temporal test server are started.
 */
record BenchConfig(
        boolean quick,
        int n,
        int detailsN,
        int detailsEmails,
        int concurrency,
        int partitions,
        int warmup,
        int rounds,
        List<String> phases,
        Optional<String> externalKafka,
        Optional<String> externalTemporal,
        String namespace,
        List<String> childJvmOptions,
        boolean pinCpus,
        boolean worker,
        Path outDir,
        boolean enforce,
        boolean verbose,
        Duration runTimeout) {

    static final List<String> ALL_PHASES = List.of("commands", "details", "mixed", "cost", "scaling");

    static BenchConfig fromSystemProperties() {
        boolean quick = Boolean.getBoolean("bench.quick");
        int n = Integer.getInteger("bench.n", quick ? 100 : 2000);
        String phases = System.getProperty("bench.phases", String.join(",", ALL_PHASES));
        return new BenchConfig(
                quick,
                n,
                Integer.getInteger("bench.details-n", n),
                Integer.getInteger("bench.details-emails", 500),
                Integer.getInteger("bench.concurrency", 64),
                Integer.getInteger("bench.partitions", 6),
                Integer.getInteger("bench.warmup", quick ? 80 : 400),
                Integer.getInteger("bench.rounds", quick ? 1 : 2),
                List.of(phases.split("\\s*,\\s*")),
                nonBlank(System.getenv("KAFKA_BOOTSTRAP_SERVERS")),
                nonBlank(System.getenv("TEMPORAL_ADDRESS")),
                nonBlank(System.getenv("TEMPORAL_NAMESPACE")).orElse("default"),
                serviceJvmOptions(),
                Boolean.getBoolean("bench.pin-cpus"),
                !"false".equals(System.getProperty("bench.worker")),
                Path.of(System.getProperty("bench.out", "target/bench")),
                Boolean.getBoolean("bench.enforce"),
                Boolean.getBoolean("bench.verbose"),
                Duration.ofSeconds(Integer.getInteger("bench.run-timeout-s", 300)));
    }

    /** With {@code bench.pin-cpus}: the one CPU the service and the own-JVM client run on. */
    static int clientCpu() {
        return Runtime.getRuntime().availableProcessors() - 1;
    }

    /** What child JVMs are launched with: {@code taskset} to the client CPU when pinned. */
    List<String> launcher() {
        return pinCpus ? List.of("taskset", "-c", Integer.toString(clientCpu())) : List.of();
    }

    /** Without a worker nothing answers queries or finishes a cancel: only starts can be measured. */
    void check() {
        if (!worker && (runs("details") || runs("mixed") || runs("cost"))) {
            throw new IllegalArgumentException("bench.worker=false measures starts only: add -Dbench.phases=commands"
                    + " (or commands,scaling); the details and mixed phases need the worker");
        }
    }

    /**
     * The service's own JVM options (config/jvm.options, as operators run it), then {@code bench.child-jvm-opts}, which
     * override them; the own-JVM client gets the same, so both sides run on the same JVM settings.
     */
    private static List<String> serviceJvmOptions() {
        List<String> options = new java.util.ArrayList<>();
        Path file = Path.of("config", "jvm.options").toAbsolutePath();
        if (java.nio.file.Files.exists(file)) {
            options.add("@" + file);
        }
        nonBlank(System.getProperty("bench.child-jvm-opts"))
                .ifPresent(s -> options.addAll(List.of(s.trim().split("\\s+"))));
        return List.copyOf(options);
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }

    /** The settings as they go into results.json, so runs can be compared. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quick", quick);
        m.put("n", n);
        m.put("detailsN", detailsN);
        m.put("detailsEmails", detailsEmails);
        m.put("concurrency", concurrency);
        m.put("partitions", partitions);
        m.put("warmup", warmup);
        m.put("rounds", rounds);
        m.put("phases", phases);
        m.put("kafka", externalKafka.map(k -> "external").orElse("embedded"));
        m.put("temporal", externalTemporal.map(t -> "external").orElse("embedded (SDK test server)"));
        m.put("childJvmOptions", childJvmOptions);
        m.put("worker", worker ? "running" : "none: Temporal only accepts the starts");
        m.put("pinCpus", pinCpus ? "clients on cpu " + clientCpu() + ", the rest on the others" : "no");
        return m;
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
