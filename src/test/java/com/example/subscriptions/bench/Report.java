package com.example.subscriptions.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table on the console and {@code results.json}: the same figures, each with the conditions it was taken in. */
final class Report {

    /** The kinds of command the cost phase sends to subscriptions with a long history and to fresh ones. */
    static final List<String> COST_KINDS =
            List.of("duplicate-subscribe", "unsubscribe", "unsubscribe-of-nothing", "re-subscribe");

    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("commands.direct", "direct: WorkflowStub.start, C threads");
        LABELS.put("commands.direct-process", "direct, own JVM: C threads");
        LABELS.put("commands.bridge-burst", "bridge: N commands produced at once");
        LABELS.put("commands.bridge-window", "bridge: C commands outstanding");
        LABELS.put("details.direct", "direct: details query, C threads");
        LABELS.put("details.direct-process", "direct, own JVM: C threads");
        LABELS.put("details.responder-burst", "responder: N requests produced at once");
        LABELS.put("details.responder-window", "responder: C requests outstanding");
        LABELS.put("mixed.bridge-burst", "bridge: mixed burst (dup/unsub/resub)");
        LABELS.put("scaling.direct-1x", "direct: C threads");
        LABELS.put("scaling.direct-2x", "direct: C2 threads");
        LABELS.put("scaling.1-instance", "bridge x1: burst");
        LABELS.put("scaling.2-instances", "bridge x2 (one group): burst");
        for (String kind : COST_KINDS) {
            for (String history : List.of("long", "fresh")) {
                LABELS.put("cost." + kind + "." + history, kind.replace('-', ' ') + ", " + history + " history");
            }
        }
        LABELS.put("cost.new-subscribe.fresh", "new subscribe");
    }

    /** Variants whose latencies include the time a request waited behind the rest of its burst. */
    private static boolean queued(String variant) {
        return variant.endsWith("burst")
                || variant.endsWith("instance")
                || variant.endsWith("instances")
                || variant.startsWith("cost.");
    }

    private static boolean isDirect(String variant) {
        return variant.contains("direct");
    }

    /**
     * Subscriptions per second counted until the last one's workflow had sent its first email (the worker ran its
     * first workflow task and activity), not just until Temporal accepted the start; NaN where not measured.
     */
    private double completedPerSecond(String variant) {
        long nanos = 0;
        int n = 0;
        for (BridgeBenchmark.Measured m : runs.get(variant)) {
            if (m.completedNanos() <= 0) {
                return Double.NaN;
            }
            nanos += m.completedNanos();
            n += m.result().n();
        }
        return nanos == 0 ? Double.NaN : n * 1e9 / nanos;
    }

    private final BenchConfig cfg;
    private final Map<String, List<BridgeBenchmark.Measured>> runs;
    private final Map<String, Object> extra;
    private final Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final String java = System.getProperty("java.version");
    private final List<Map<String, Object>> bars = new ArrayList<>();
    private final Map<String, Object> ratios = new LinkedHashMap<>();

    Report(BenchConfig cfg, Map<String, List<BridgeBenchmark.Measured>> runs, Map<String, Object> extra) {
        this.cfg = cfg;
        this.runs = runs;
        this.extra = extra;
        evaluate();
    }

    boolean allBarsMet() {
        return bars.stream().allMatch(b -> Boolean.TRUE.equals(b.get("met")));
    }

    private RunResult pooled(String variant) {
        List<BridgeBenchmark.Measured> measured = runs.get(variant);
        return measured == null
                ? null
                : RunResult.pool(variant, measured.stream().map(m -> m.result()).toList());
    }

    private void evaluate() {
        for (String base : List.of("direct", "direct-process")) {
            String vs = base.equals("direct") ? "" : "VsOwnJvmClient";
            String against = base.equals("direct") ? "direct" : "direct in its own JVM";
            RunResult direct = pooled("commands." + base);
            RunResult burst = pooled("commands.bridge-burst");
            RunResult window = pooled("commands.bridge-window");
            if (direct != null && burst != null) {
                double r = burst.throughputPerSecond() / direct.throughputPerSecond();
                ratios.put("commandsThroughputBridgeBurstOver" + cap(base), RunResult.round(r));
                double toFirstEmail =
                        completedPerSecond("commands.bridge-burst") / completedPerSecond("commands." + base);
                if (!Double.isNaN(toFirstEmail)) {
                    ratios.put("commandsToFirstEmailBridgeBurstOver" + cap(base), RunResult.round(toFirstEmail));
                }
                bar("commands throughput, bridge (burst) / " + against, r, ">=", 0.9, "x");
            }
            if (direct != null && window != null) {
                ratios.put(
                        "commandsThroughputBridgeWindowOver" + cap(base),
                        RunResult.round(window.throughputPerSecond() / direct.throughputPerSecond()));
                ratios.put(
                        "commandsAddedP50Ms" + vs,
                        RunResult.round(window.percentileMillis(50) - direct.percentileMillis(50)));
                double added = window.percentileMillis(99) - direct.percentileMillis(99);
                ratios.put("commandsAddedP99Ms" + vs, RunResult.round(added));
                bar("commands p99, bridge (C outstanding) - " + against, added, "<", 20.0, "ms");
            }
            RunResult query = pooled("details." + base);
            RunResult responderBurst = pooled("details.responder-burst");
            RunResult responderWindow = pooled("details.responder-window");
            if (query != null && responderBurst != null) {
                double r = responderBurst.throughputPerSecond() / query.throughputPerSecond();
                ratios.put("detailsThroughputResponderBurstOver" + cap(base), RunResult.round(r));
                bar("details throughput, responder (burst) / " + against, r, ">=", 0.9, "x");
            }
            if (query != null && responderWindow != null) {
                ratios.put(
                        "detailsThroughputResponderWindowOver" + cap(base),
                        RunResult.round(responderWindow.throughputPerSecond() / query.throughputPerSecond()));
                ratios.put(
                        "detailsAddedP50Ms" + vs,
                        RunResult.round(responderWindow.percentileMillis(50) - query.percentileMillis(50)));
                ratios.put(
                        "detailsAddedP99Ms" + vs,
                        RunResult.round(responderWindow.percentileMillis(99) - query.percentileMillis(99)));
            }
        }
        RunResult one = pooled("scaling.1-instance");
        RunResult two = pooled("scaling.2-instances");
        if (one != null && two != null) {
            ratios.put(
                    "scalingTwoOverOneInstance",
                    RunResult.round(two.throughputPerSecond() / one.throughputPerSecond()));
        }
        List<String> subscribes = List.of("commands.bridge-burst", "commands.bridge-window");
        Object servicePerSubscribe = perThousand(subscribes, true);
        Object clientPerStart = perThousandClient("commands.direct-process");
        Object mixedPerCommand = perThousand(List.of("mixed.bridge-burst"), true);
        if (servicePerSubscribe instanceof Double service && clientPerStart instanceof Double client) {
            ratios.put("serviceCpuPerSubscribeOverOwnJvmClientCpuPerStart", RunResult.round(service / client));
        }
        if (mixedPerCommand instanceof Double mixed && servicePerSubscribe instanceof Double service) {
            ratios.put("serviceCpuPerMixedCommandOverPerNewSubscribe", RunResult.round(mixed / service));
        }
        // The bars compare the CPU spent on the requests: each JVM's JIT compiles once per start, and the service,
        // with more code than a bare client, takes longer to finish it.
        double serviceSteady = steadyPerThousand(subscribes, true);
        double clientSteady = steadyPerThousand(List.of("commands.direct-process"), false);
        double mixedSteady = steadyPerThousand(List.of("mixed.bridge-burst"), true);
        if (!Double.isNaN(serviceSteady) && !Double.isNaN(clientSteady)) {
            ratios.put(
                    "serviceCpuPerSubscribeOverOwnJvmClientCpuPerStartWithoutJit",
                    RunResult.round(serviceSteady / clientSteady));
            bar(
                    "CPU without JIT, service per new subscribe / own-JVM client per start",
                    serviceSteady / clientSteady,
                    "<=",
                    1.2,
                    "x");
        }
        if (!Double.isNaN(mixedSteady) && !Double.isNaN(serviceSteady)) {
            ratios.put(
                    "serviceCpuPerMixedCommandOverPerNewSubscribeWithoutJit",
                    RunResult.round(mixedSteady / serviceSteady));
            bar(
                    "CPU without JIT, service per mixed-burst command / per new subscribe",
                    mixedSteady / serviceSteady,
                    "<=",
                    1.5,
                    "x");
        }
        for (String kind : COST_KINDS) {
            TemporalTrafficCount longHistory = trafficPerCommand("cost." + kind + ".long");
            TemporalTrafficCount fresh = trafficPerCommand("cost." + kind + ".fresh");
            if (longHistory != null && fresh != null && fresh.bytes() > 0) {
                ratios.put("temporalBytesLongOverFresh." + kind, RunResult.round(longHistory.bytes() / fresh.bytes()));
                bar(
                        "Temporal bytes per " + kind.replace('-', ' ') + ", long history / fresh",
                        longHistory.bytes() / fresh.bytes(),
                        "<=",
                        1.5,
                        "x");
            }
        }
        if (extra.get("servicePeakRssMiB") instanceof Number rss) {
            bar("service peak RSS", rss.doubleValue(), "<=", 256, "MiB");
        }
        RunResult direct1 = pooled("scaling.direct-1x");
        RunResult direct2 = pooled("scaling.direct-2x");
        if (direct1 != null && direct2 != null) {
            ratios.put(
                    "scalingDirectTwiceTheThreadsOverOnce",
                    RunResult.round(direct2.throughputPerSecond() / direct1.throughputPerSecond()));
        }
    }

    private static String cap(String base) {
        return base.equals("direct") ? "Direct" : "DirectOwnJvm";
    }

    private void bar(String name, double value, String op, double threshold, String unit) {
        boolean met = switch (op) {
            case ">=" -> value >= threshold;
            case "<=" -> value <= threshold;
            default -> value < threshold;
        };
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", name);
        b.put("value", RunResult.round(value));
        b.put("unit", unit);
        b.put("required", op + " " + threshold);
        b.put("met", met);
        bars.add(b);
    }

    // ---------------------------------------------------------------- console

    void print(PrintStream out) {
        out.println();
        out.printf("Kafka-to-Temporal bridge benchmark, %s%n", at);
        out.printf(
                "N=%d, details M=%d, C (concurrency)=%d, partitions=%d, rounds=%d, warm-up=%d%s; %d cores, Java %s;"
                        + " Kafka %s, Temporal %s; load average %s at start, %s at end%n",
                cfg.n(),
                cfg.detailsN(),
                cfg.concurrency(),
                cfg.partitions(),
                cfg.rounds(),
                cfg.warmup(),
                cfg.quick() ? " (quick)" : "",
                cores,
                java,
                cfg.externalKafka().isPresent() ? "external" : "embedded",
                cfg.externalTemporal().isPresent() ? "external" : "embedded test server",
                extra.get("loadAverageAtStart"),
                ProcStats.loadAverage());
        out.println();
        String section = "";
        for (String variant : runs.keySet()) {
            String s = variant.substring(0, variant.indexOf('.'));
            if (!s.equals(section)) {
                section = s;
                out.printf(
                        Locale.ROOT,
                        "%-44s %6s %8s %8s %8s %8s %10s %10s%n",
                        title(s),
                        "n",
                        "per s",
                        "p50 ms",
                        "p95 ms",
                        "p99 ms",
                        "1st mail/s",
                        "proc CPU s");
            }
            RunResult r = pooled(variant);
            double processCpu = runs.get(variant).stream()
                    .mapToDouble(m -> variant.endsWith("direct-process") ? m.clientCpuSeconds() : m.serviceCpuSeconds())
                    .sum();
            boolean queued = queued(variant);
            double completed = completedPerSecond(variant);
            out.printf(
                    Locale.ROOT,
                    "  %-42s %6d %8.0f %8s %8s %8s %10s %10s%n",
                    label(variant),
                    r.n(),
                    r.throughputPerSecond(),
                    ms(r.percentileMillis(50), queued),
                    ms(r.percentileMillis(95), queued),
                    ms(r.percentileMillis(99), queued),
                    Double.isNaN(completed) ? "-" : String.format(Locale.ROOT, "%.0f", completed),
                    isDirect(variant) && !variant.endsWith("direct-process")
                            ? "-"
                            : String.format(Locale.ROOT, "%.2f", processCpu));
        }
        out.println("  q: latency includes the time spent queued behind the rest of the burst");
        out.println("  1st mail/s: counted until every new subscription's workflow had sent its first email");
        out.println("  proc CPU s: CPU of the process making the calls (the service, or the own-JVM direct client)");
        if (extra.containsKey("mixedOutcomesAsExpected")) {
            out.printf(
                    "  mixed burst outcomes %s: %s%n",
                    Boolean.TRUE.equals(extra.get("mixedOutcomesAsExpected")) ? "as expected" : "NOT as expected",
                    pooled("mixed.bridge-burst").outcomes());
        }
        out.println();
        out.println("Temporal per command, counted by the service (calls, bytes of the messages)");
        for (String variant : runs.keySet()) {
            if (!isDirect(variant) && !variant.startsWith("scaling")) {
                TemporalTrafficCount t = trafficPerCommand(variant);
                out.printf(Locale.ROOT, "  %-44s %6.2f calls %8.0f B%n", label(variant), t.calls(), t.bytes());
            }
        }
        if (extra.containsKey("costLongHistoryEvents")) {
            out.printf(
                    "  long histories: at least %s events; fresh ones: at most %s%n",
                    extra.get("costLongHistoryEvents"), extra.get("costFreshHistoryEvents"));
        }
        out.println();
        out.println("Ratios (same run)");
        ratios.forEach((k, v) -> out.printf(Locale.ROOT, "  %-44s %s%n", k, v));
        out.println();
        out.println("Bars");
        for (Map<String, Object> b : bars) {
            out.printf(
                    Locale.ROOT,
                    "  %-56s %8s %-3s (needs %s)  %s%n",
                    b.get("name"),
                    b.get("value"),
                    b.get("unit"),
                    b.get("required"),
                    Boolean.TRUE.equals(b.get("met")) ? "MET" : "NOT MET");
        }
        out.println();
        out.println("Resources");
        resources().forEach((k, v) -> out.printf(Locale.ROOT, "  %-44s %s%n", k, v));
        out.println();
        out.println("Where the CPU went (seconds, over each variant's runs incl. the worker catching up)");
        for (String variant : List.of(
                "commands.direct",
                "commands.direct-process",
                "commands.bridge-burst",
                "details.direct",
                "details.responder-burst")) {
            if (runs.containsKey(variant)) {
                Map<String, Object> b = breakdown(variant);
                out.printf(
                        Locale.ROOT,
                        "  %s: wall %.1f s, machine busy %.1f s of %.1f, service %.1f, bench JVM %.1f,"
                                + " other processes %.1f%n",
                        variant,
                        b.get("windowSeconds"),
                        b.get("machineBusySeconds"),
                        (double) b.get("windowSeconds") * cores,
                        b.get("serviceCpuSeconds"),
                        b.get("benchJvmCpuSeconds"),
                        b.get("otherProcessesCpuSeconds"));
                out.printf("    bench JVM threads: %s%n", b.get("benchJvmThreads"));
                if (!isDirect(variant)) {
                    out.printf("    service threads:   %s%n", b.get("serviceThreads"));
                }
            }
        }
        out.println();
        out.println("Written to " + cfg.outDir().resolve("results.json"));
    }

    private static String title(String section) {
        return switch (section) {
            case "commands" -> "Subscribe commands";
            case "details" -> "Details requests";
            case "mixed" -> "Mixed burst";
            case "scaling" -> "Scaling";
            case "cost" -> "Cost by kind of command";
            default -> section;
        };
    }

    private String label(String variant) {
        return LABELS.getOrDefault(variant, variant)
                .replace("C2 ", 2 * cfg.concurrency() + " ")
                .replace("C ", cfg.concurrency() + " ")
                .replace("N ", "all ");
    }

    private static String ms(double value, boolean queued) {
        return String.format(Locale.ROOT, "%.1f%s", value, queued ? "q" : "");
    }

    // ---------------------------------------------------------------- numbers

    private Map<String, Object> resources() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("servicePeakRssMiB", extra.get("servicePeakRssMiB"));
        if (extra.containsKey("secondServicePeakRssMiB")) {
            r.put("secondServicePeakRssMiB", extra.get("secondServicePeakRssMiB"));
        }
        r.put(
                "serviceCpuSecondsPer1000Commands",
                perThousand(List.of("commands.bridge-burst", "commands.bridge-window"), true));
        r.put(
                "serviceCpuSecondsPer1000DetailsRequests",
                perThousand(List.of("details.responder-burst", "details.responder-window"), true));
        r.put("serviceCpuSecondsPer1000MixedCommands", perThousand(List.of("mixed.bridge-burst"), true));
        r.put("ownJvmClientCpuSecondsPer1000DirectStarts", perThousandClient("commands.direct-process"));
        r.put(
                "serviceCpuSecondsPer1000CommandsWithoutJit",
                round(steadyPerThousand(List.of("commands.bridge-burst", "commands.bridge-window"), true)));
        r.put(
                "serviceCpuSecondsPer1000MixedCommandsWithoutJit",
                round(steadyPerThousand(List.of("mixed.bridge-burst"), true)));
        r.put(
                "ownJvmClientCpuSecondsPer1000DirectStartsWithoutJit",
                round(steadyPerThousand(List.of("commands.direct-process"), false)));
        r.put("ownJvmClientCpuSecondsPer1000DirectQueries", perThousandClient("details.direct-process"));
        r.put("benchJvmCpuSecondsPer1000DirectStarts", perThousand(List.of("commands.direct"), false));
        r.put(
                "benchJvmCpuSecondsPer1000BridgeCommands",
                perThousand(List.of("commands.bridge-burst", "commands.bridge-window"), false));
        r.put("serviceCpuSecondsTotal", extra.get("serviceCpuSecondsTotal"));
        r.put("benchWallSeconds", extra.get("benchWallSeconds"));
        r.put("serviceLogWarnings", extra.get("serviceLogWarnings"));
        r.put("benchJvmWarnings", extra.get("benchJvmWarnings"));
        return r;
    }

    private static Object round(double value) {
        return Double.isNaN(value) ? null : RunResult.round(value);
    }

    private Object perThousand(List<String> variants, boolean service) {
        double cpu = 0;
        int n = 0;
        for (String v : variants) {
            for (BridgeBenchmark.Measured m : runs.getOrDefault(v, List.of())) {
                cpu += service ? m.serviceCpuSeconds() : m.benchCpuSeconds();
                n += m.result().n();
            }
        }
        return n == 0 ? null : RunResult.round(cpu / n * 1000);
    }

    /** The service's calls to Temporal and their bytes, per command of the variant; null if not measured. */
    private TemporalTrafficCount trafficPerCommand(String variant) {
        List<BridgeBenchmark.Measured> measured = runs.get(variant);
        if (measured == null) {
            return null;
        }
        TemporalTrafficCount total = measured.stream()
                .map(BridgeBenchmark.Measured::serviceTemporalTraffic)
                .reduce(TemporalTrafficCount.NONE, TemporalTrafficCount::plus);
        int n = measured.stream().mapToInt(m -> m.result().n()).sum();
        return n == 0 ? null : new TemporalTrafficCount(total.calls() / n, total.bytes() / n);
    }

    /** CPU seconds per 1,000 requests of the service (or the own-JVM client), its JIT compiler threads left out. */
    private double steadyPerThousand(List<String> variants, boolean service) {
        double cpu = 0;
        int n = 0;
        for (String v : variants) {
            for (BridgeBenchmark.Measured m : runs.getOrDefault(v, List.of())) {
                cpu += service
                        ? m.serviceCpuSeconds() - m.serviceJitSeconds()
                        : m.clientCpuSeconds() - m.clientJitSeconds();
                n += m.result().n();
            }
        }
        return n == 0 ? Double.NaN : cpu / n * 1000;
    }

    private Object perThousandClient(String variant) {
        double cpu = 0;
        int n = 0;
        for (BridgeBenchmark.Measured m : runs.getOrDefault(variant, List.of())) {
            cpu += m.clientCpuSeconds();
            n += m.result().n();
        }
        return n == 0 ? null : RunResult.round(cpu / n * 1000);
    }

    private Map<String, Object> breakdown(String variant) {
        List<BridgeBenchmark.Measured> measured = runs.get(variant);
        double window = 0;
        double service = 0;
        double bench = 0;
        double machine = 0;
        Map<String, Double> serviceBefore = new HashMap<>();
        Map<String, Double> serviceAfter = new HashMap<>();
        Map<String, Double> benchBefore = new HashMap<>();
        Map<String, Double> benchAfter = new HashMap<>();
        for (BridgeBenchmark.Measured m : measured) {
            window += m.windowSeconds();
            service += m.serviceCpuSeconds();
            bench += m.benchCpuSeconds();
            machine += m.machineBusySeconds();
            m.serviceThreadsBefore().forEach((k, v) -> serviceBefore.merge(k, v, Double::sum));
            m.serviceThreadsAfter().forEach((k, v) -> serviceAfter.merge(k, v, Double::sum));
            m.benchThreadsBefore().forEach((k, v) -> benchBefore.merge(k, v, Double::sum));
            m.benchThreadsAfter().forEach((k, v) -> benchAfter.merge(k, v, Double::sum));
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("windowSeconds", RunResult.round(window));
        b.put("machineBusySeconds", RunResult.round(machine));
        b.put("serviceCpuSeconds", RunResult.round(service));
        b.put("benchJvmCpuSeconds", RunResult.round(bench));
        b.put("otherProcessesCpuSeconds", RunResult.round(Math.max(0, machine - service - bench)));
        b.put("benchJvmThreads", ProcStats.topDelta(benchBefore, benchAfter, 6));
        b.put("serviceThreads", ProcStats.topDelta(serviceBefore, serviceAfter, 6));
        return b;
    }

    // ---------------------------------------------------------------- results.json

    void write(Path dir) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "kafka-temporal-bridge");
        root.put("at", at.toString());
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", cores);
        machine.put("java", java);
        machine.put("javaVendor", System.getProperty("java.vendor"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("arch", System.getProperty("os.arch"));
        machine.put("loadAverageAtStart", extra.get("loadAverageAtStart"));
        machine.put("loadAverageAtEnd", ProcStats.loadAverage());
        root.put("machine", machine);
        root.put("settings", cfg.describe());
        List<Map<String, Object>> figures = new ArrayList<>();
        for (String variant : runs.keySet()) {
            figures.add(figure(variant));
        }
        root.put("figures", figures);
        root.put("ratios", ratios);
        root.put("bars", bars);
        root.put("allBarsMet", allBarsMet());
        root.put("resources", resources());
        Map<String, Object> cpu = new LinkedHashMap<>();
        runs.keySet().forEach(v -> cpu.put(v, breakdown(v)));
        root.put("cpuBreakdown", cpu);
        if (extra.containsKey("costLongHistoryEvents")) {
            root.put("costLongHistoryEvents", extra.get("costLongHistoryEvents"));
            root.put("costFreshHistoryEvents", extra.get("costFreshHistoryEvents"));
        }
        if (extra.containsKey("mixedExpectedOutcomes")) {
            root.put("mixedExpectedOutcomes", extra.get("mixedExpectedOutcomes"));
            root.put("mixedOutcomesAsExpected", extra.get("mixedOutcomesAsExpected"));
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(dir);
        Path latest = dir.resolve("results.json");
        mapper.writeValue(latest.toFile(), root);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(at);
        Files.copy(latest, dir.resolve("results-" + stamp + ".json"), StandardCopyOption.REPLACE_EXISTING);
    }

    private Map<String, Object> figure(String variant) {
        RunResult r = pooled(variant);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", variant);
        f.put("description", label(variant));
        f.put("n", r.n());
        f.put("concurrency", cfg.concurrency());
        f.put("partitions", cfg.partitions());
        f.put("instances", variant.equals("scaling.2-instances") ? 2 : isDirect(variant) ? 0 : 1);
        f.put(
                "client",
                isDirect(variant)
                        ? (variant.endsWith("direct-process")
                                ? "Temporal Java client, own JVM"
                                : "Temporal Java client, in the JVM of the Temporal test server")
                        : "Kafka, through the service");
        if (isDirect(variant)) {
            f.put("threads", variant.equals("scaling.direct-2x") ? 2 * cfg.concurrency() : cfg.concurrency());
        }
        f.put("cores", cores);
        f.put("java", java);
        f.put("rounds", runs.get(variant).size());
        f.put("throughputPerSec", RunResult.round(r.throughputPerSecond()));
        f.put("durationMs", RunResult.round(r.durationNanos() / 1e6));
        f.put("latencyMs", r.latencyJson());
        f.put("latencyIncludesQueueing", queued(variant));
        double completed = completedPerSecond(variant);
        f.put("toFirstEmailPerSec", Double.isNaN(completed) ? null : RunResult.round(completed));
        f.put("outcomes", r.outcomes());
        f.put("unanswered", r.unanswered());
        double serviceCpu = runs.get(variant).stream()
                .mapToDouble(m -> m.serviceCpuSeconds())
                .sum();
        if (variant.endsWith("direct-process")) {
            f.put(
                    "clientCpuSecondsPer1000",
                    RunResult.round(runs.get(variant).stream()
                                    .mapToDouble(m -> m.clientCpuSeconds())
                                    .sum()
                            / Math.max(1, r.n())
                            * 1000));
        }
        if (!isDirect(variant)) {
            f.put("serviceCpuSecondsPer1000", RunResult.round(serviceCpu / Math.max(1, r.n()) * 1000));
            TemporalTrafficCount traffic = trafficPerCommand(variant);
            f.put("temporalCallsPerCommand", RunResult.round(traffic.calls()));
            f.put("temporalBytesPerCommand", RunResult.round(traffic.bytes()));
        }
        List<Map<String, Object>> perRound = new ArrayList<>();
        for (BridgeBenchmark.Measured m : runs.get(variant)) {
            Map<String, Object> round = new LinkedHashMap<>();
            round.put("throughputPerSec", RunResult.round(m.result().throughputPerSecond()));
            round.put("p50Ms", RunResult.round(m.result().percentileMillis(50)));
            round.put("p99Ms", RunResult.round(m.result().percentileMillis(99)));
            perRound.add(round);
        }
        f.put("perRound", perRound);
        return f;
    }
}
