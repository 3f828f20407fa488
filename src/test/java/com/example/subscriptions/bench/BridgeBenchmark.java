package com.example.subscriptions.bench;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.devstack.EmbeddedKafkaBroker;
import com.example.subscriptions.devstack.EmbeddedTemporal;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Measures what the Kafka bridge costs over calling Temporal directly: workflow starts and details queries, each
 * made straight with the Temporal client (in this JVM and in a JVM of its own) and through the service (a child JVM
 * running the commands and responder roles), against the same Temporal service and worker, at the same concurrency.
 * Also a mixed burst, one versus two service instances, and the service's CPU and memory.
 *
 * <p>{@code ./mvnw -q -Pbench} (see docs/benchmarks.md for the flags). Prints a table and writes
 * {@code target/bench/results.json}. Not a test: nothing in the normal build runs it.
 */
public final class BridgeBenchmark implements AutoCloseable {

    private final BenchConfig cfg;
    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private final List<AutoCloseable> closeInReverse = new ArrayList<>();
    private final List<ServiceProcess> services = new CopyOnWriteArrayList<>();
    private final List<ServiceProcess> everStarted = new CopyOnWriteArrayList<>();
    private final AtomicLong emailsSent = new AtomicLong();
    /** When the worker sent its {@link #emailTarget}-th email: the last workflow of a run has done its first step. */
    private volatile long emailTarget = Long.MAX_VALUE;

    private volatile long emailTargetReachedNanos;
    private long lastCompletedNanos;
    private final Map<String, List<Measured>> runs = new LinkedHashMap<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Random random = new Random(42);
    private final List<String> runningEmails = new ArrayList<>();

    private String bootstrapServers;
    private String temporalAddress;
    private Map<String, String> topics;
    private String taskQueue;
    private DirectCalls calls;
    private DirectClientProcess directProcess;
    private KafkaLoad kafka;
    private DirectLoad direct;

    private BridgeBenchmark(BenchConfig cfg) {
        this.cfg = cfg;
    }

    public static void main(String[] args) {
        BenchConfig cfg = BenchConfig.fromSystemProperties();
        try {
            cfg.check();
        } catch (IllegalArgumentException e) {
            System.err.println("Benchmark not started: " + e.getMessage());
            System.exit(2);
        }
        int status;
        BridgeBenchmark bench = new BridgeBenchmark(cfg);
        Thread cleanup = new Thread(bench::close, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Report report = bench.run();
            status = cfg.enforce() && !report.allBarsMet() ? 1 : 0;
        } catch (Exception e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            status = 2;
        } finally {
            bench.close();
        }
        System.out.flush();
        // Under exec:java this ends Maven's JVM too: nothing else is left to do, and lingering broker or gRPC
        // threads must not keep it waiting.
        System.exit(status);
    }

    /**
     * In production the service (or any client) and Temporal never share CPUs. Pinned, the broker, Temporal and its
     * worker (this JVM) keep to the other CPUs, and each client JVM gets the last one to itself.
     */
    private static void pinThisJvmAwayFromTheClientCpu() throws IOException, InterruptedException {
        int clientCpu = BenchConfig.clientCpu();
        if (clientCpu < 1) {
            throw new IllegalStateException("bench.pin-cpus needs at least 2 CPUs");
        }
        String others = clientCpu == 1 ? "0" : "0-" + (clientCpu - 1);
        Process taskset = new ProcessBuilder(
                        "taskset",
                        "-a",
                        "-p",
                        "-c",
                        others,
                        Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (taskset.waitFor() != 0) {
            throw new IllegalStateException("taskset failed with exit status " + taskset.exitValue());
        }
        progress(
                "pinned: this JVM (broker, Temporal, worker, load) on CPUs %s, service and own-JVM client on CPU %d",
                others, clientCpu);
    }

    private Report run() throws Exception {
        long started = System.nanoTime();
        // Loaded now: another build in the same tree may clean target/ while this runs.
        for (Class<?> c : List.of(Report.class, RunResult.class, ProcStats.class, Measured.class)) {
            Class.forName(c.getName(), true, c.getClassLoader());
        }
        ServiceProcess.fullClasspath();
        extra.put("loadAverageAtStart", ProcStats.loadAverage());
        if (cfg.pinCpus()) {
            pinThisJvmAwayFromTheClientCpu();
        }
        Files.createDirectories(cfg.outDir());
        if (!cfg.verbose()) {
            BenchLog.toFile(cfg.outDir().resolve("bench-jvm.log"));
        }
        setUp();
        progress(
                "stack ready in %.1f s; service pid %d, logs in %s",
                seconds(System.nanoTime() - started), services.get(0).pid(), cfg.outDir());
        if (cfg.runs("commands")) {
            commandsPhase();
        }
        if (cfg.runs("details")) {
            detailsPhase();
        }
        if (cfg.runs("mixed")) {
            mixedPhase();
        }
        if (cfg.runs("cost")) {
            costPhase();
        }
        if (cfg.runs("scaling")) {
            scalingPhase();
        }
        ServiceProcess primary = services.get(0);
        extra.put(
                "servicePeakRssMiB",
                primary.peakRssMiB().isPresent() ? primary.peakRssMiB().getAsLong() : null);
        extra.put("serviceCpuSecondsTotal", RunResult.round(primary.cpuSeconds()));
        extra.put("benchWallSeconds", RunResult.round(seconds(System.nanoTime() - started)));
        extra.put("benchJvmWarnings", BenchLog.warnings());
        extra.put(
                "serviceLogWarnings",
                everStarted.stream().mapToLong(ServiceProcess::warnings).sum());
        Report report = new Report(cfg, runs, extra);
        report.print(System.out);
        report.write(cfg.outDir());
        return report;
    }

    // ---------------------------------------------------------------- set-up

    private void setUp() throws Exception {
        long t0 = System.nanoTime();
        bootstrapServers = cfg.externalKafka().orElseGet(() -> {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null);
            closeInReverse.add(broker);
            return broker.bootstrapServers();
        });
        temporalAddress = cfg.externalTemporal().orElseGet(() -> {
            EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
            closeInReverse.add(temporal);
            return temporal.address();
        });
        progress("Kafka %s, Temporal %s (%.1f s)", bootstrapServers, temporalAddress, seconds(System.nanoTime() - t0));
        taskQueue = "bench-" + runId;
        topics = new LinkedHashMap<>();
        for (String key : List.of(
                "commands", "events", "commands-dlt", "details-requests", "details-replies", "details-requests-dlt")) {
            topics.put("topics." + key, "bench-" + runId + "-" + key);
        }
        createTopics();

        // The Temporal worker both the baseline and the bridge rely on, with a no-op mailer that counts.
        Map<String, String> worker = new HashMap<>();
        worker.put("roles", "worker");
        worker.put("temporal.address", temporalAddress);
        worker.put("temporal.namespace", cfg.namespace());
        // Without a worker for the benchmark's task queue, Temporal only accepts the starts: the paths to it are
        // compared without the worker's CPU, which on a small machine the slower path ends up sharing.
        worker.put("temporal.task-queue", cfg.worker() ? taskQueue : taskQueue + "-unpolled");
        worker.put("server.port", "0");
        Service workerService = Service.start(Settings.of(worker), (details, delivery) -> {
            long sent = emailsSent.incrementAndGet();
            if (sent >= emailTarget && emailTargetReachedNanos == 0) {
                emailTargetReachedNanos = System.nanoTime();
            }
        });
        closeInReverse.add(workerService);

        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporalAddress)
                .build());
        closeInReverse.add(() -> {
            stubs.shutdown();
            stubs.awaitTermination(5, TimeUnit.SECONDS);
        });
        calls = new DirectCalls(
                WorkflowClient.newInstance(
                        stubs,
                        WorkflowClientOptions.newBuilder()
                                .setNamespace(cfg.namespace())
                                .build()),
                taskQueue);
        direct = new DirectLoad(cfg.concurrency());
        closeInReverse.add(direct);
        kafka = new KafkaLoad(bootstrapServers, topics.get("topics.events"), topics.get("topics.details-replies"));
        closeInReverse.add(kafka);
        long t1 = System.nanoTime();
        // The two child JVMs boot at the same time.
        var client = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return DirectClientProcess.start(
                        temporalAddress,
                        cfg.namespace(),
                        taskQueue,
                        cfg.concurrency(),
                        cfg.childJvmOptions(),
                        cfg.launcher(),
                        cfg.outDir().resolve("direct-client.log"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            startService("service-1");
        } finally {
            directProcess = client.join();
            closeInReverse.add(directProcess);
        }
        progress("service and direct client ready in %.1f s", seconds(System.nanoTime() - t1));
    }

    private void createTopics() {
        Map<String, Integer> partitionsByTopic = new HashMap<>();
        topics.values().forEach(topic -> partitionsByTopic.put(topic, cfg.partitions()));
        EmbeddedKafkaBroker.createTopics(bootstrapServers, partitionsByTopic);
    }

    private Admin admin() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-admin");
        return Admin.create(props);
    }

    private ServiceProcess startService(String name) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(topics);
        settings.put("kafka.bootstrap.servers", bootstrapServers);
        settings.put("temporal.address", temporalAddress);
        settings.put("temporal.namespace", cfg.namespace());
        settings.put("temporal.task-queue", taskQueue);
        settings.put("subscription.interval", DirectCalls.INTERVAL);
        settings.put("subscription.emails-per-run", Integer.toString(DirectCalls.EMAILS_PER_RUN));
        settings.put("topics.partitions", Integer.toString(cfg.partitions()));
        settings.put("commands.group-id", "bench-" + runId + "-commands");
        settings.put("details.group-id", "bench-" + runId + "-details");
        settings.put("commands.max-in-flight", Integer.toString(cfg.concurrency()));
        settings.put("details.max-in-flight", Integer.toString(cfg.concurrency()));
        settings.put("shutdown.timeout", "PT10S");
        ServiceProcess service =
                ServiceProcess.start(name, settings, cfg.childJvmOptions(), cfg.launcher(), cfg.outDir());
        services.add(service);
        everStarted.add(service);
        closeInReverse.add(() -> {
            service.close();
            services.remove(service);
        });
        return service;
    }

    // ---------------------------------------------------------------- phases

    /** Every other round in reverse order, so neither side always runs on the fuller Temporal store. */
    private static List<String> inRoundOrder(int round, String... variants) {
        List<String> order = new ArrayList<>(List.of(variants));
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    private void commandsPhase() throws Exception {
        progress("commands: warm-up (%d direct starts, %d through the bridge)", cfg.warmup(), cfg.warmup());
        directStarts("warmup-direct", emails("wd", cfg.warmup()));
        processStarts("warmup-direct-process", emails("wp", cfg.warmup()));
        bridgeCommands("warmup-bridge", subscribes("wb", emails("wb", cfg.warmup())), 0);
        for (int round = 1; round <= cfg.rounds(); round++) {
            for (String variant : inRoundOrder(
                    round,
                    "commands.direct",
                    "commands.direct-process",
                    "commands.bridge-burst",
                    "commands.bridge-window")) {
                String tag = "r" + round
                        + Map.of(
                                        "commands.direct",
                                        "d",
                                        "commands.direct-process",
                                        "p",
                                        "commands.bridge-burst",
                                        "bb",
                                        "commands.bridge-window",
                                        "bw")
                                .get(variant);
                List<String> emails = emails(tag, cfg.n());
                progress("commands round %d: %s (%d)", round, variant, cfg.n());
                RunResult result;
                switch (variant) {
                    case "commands.direct" -> result = measure(variant, () -> directStarts(variant, emails));
                    case "commands.direct-process" -> result = measure(variant, () -> processStarts(variant, emails));
                    case "commands.bridge-burst" ->
                        result = measure(variant, () -> bridgeCommands(variant, subscribes(tag, emails), 0));
                    default ->
                        result = measure(
                                variant, () -> bridgeCommands(variant, subscribes(tag, emails), cfg.concurrency()));
                }
                progress(
                        "  %.0f/s, p50 %.1f ms, p99 %.1f ms %s",
                        result.throughputPerSecond(),
                        result.percentileMillis(50),
                        result.percentileMillis(99),
                        result.outcomes());
            }
        }
    }

    private void detailsPhase() throws Exception {
        if (runningEmails.isEmpty()) {
            progress("details: subscribing %d emails first", cfg.detailsN());
            directStarts("details-setup", emails("ds", cfg.detailsN()));
        }
        // The most recent subscriptions, few enough to stay in the worker's workflow cache (600 by default): a query
        // on an evicted workflow replays its history first, which measures the worker, not the path to it.
        List<String> recent =
                runningEmails.subList(Math.max(0, runningEmails.size() - cfg.detailsEmails()), runningEmails.size());
        List<String> targets = IntStream.range(0, cfg.detailsN())
                .mapToObj(i -> recent.get(i % recent.size()))
                .toList();
        progress("details: warm-up (%d direct queries, %d through the responder)", cfg.warmup(), cfg.warmup());
        List<String> warm = targets.subList(0, Math.min(cfg.warmup(), targets.size()));
        direct.run("warmup-query", warm, calls::query, cfg.runTimeout());
        directProcess.run("warmup-query-process", "query", warm);
        kafka.run("warmup-responder", detailsRequests("wq", warm), 0, cfg.runTimeout());
        for (int round = 1; round <= cfg.rounds(); round++) {
            for (String variant : inRoundOrder(
                    round,
                    "details.direct",
                    "details.direct-process",
                    "details.responder-burst",
                    "details.responder-window")) {
                String tag = "q" + round
                        + Map.of(
                                        "details.direct",
                                        "d",
                                        "details.direct-process",
                                        "p",
                                        "details.responder-burst",
                                        "rb",
                                        "details.responder-window",
                                        "rw")
                                .get(variant);
                progress("details round %d: %s (%d)", round, variant, targets.size());
                RunResult result = switch (variant) {
                    case "details.direct" ->
                        measure(variant, () -> direct.run(variant, targets, calls::query, cfg.runTimeout()));
                    case "details.direct-process" ->
                        measure(variant, () -> directProcess.run(variant, "query", targets));
                    case "details.responder-burst" ->
                        measure(variant, () -> kafka.run(variant, detailsRequests(tag, targets), 0, cfg.runTimeout()));
                    default ->
                        measure(
                                variant,
                                () -> kafka.run(
                                        variant, detailsRequests(tag, targets), cfg.concurrency(), cfg.runTimeout()));
                };
                progress(
                        "  %.0f/s, p50 %.1f ms, p99 %.1f ms %s",
                        result.throughputPerSecond(),
                        result.percentileMillis(50),
                        result.percentileMillis(99),
                        result.outcomes());
            }
        }
    }

    /**
     * A burst of subscribes, duplicate subscribes, unsubscribes and re-subscribes over distinct emails, each email's
     * commands in order, the emails interleaved at random.
     */
    private void mixedPhase() throws Exception {
        int emailCount = Math.max(4, (int) Math.round(cfg.n() * 0.4));
        List<String> emails = emails("mx", emailCount);
        List<List<String[]>> perEmail = new ArrayList<>();
        Map<String, Integer> expected = new TreeMap<>();
        for (int i = 0; i < emails.size(); i++) {
            List<String[]> commands = new ArrayList<>();
            String e = emails.get(i);
            switch (i % 4) {
                case 0, 1 -> { // duplicate subscribe
                    commands.add(new String[] {"subscribe", e});
                    commands.add(new String[] {"subscribe", e});
                    expected.merge("SUBSCRIBED", 1, Integer::sum);
                    expected.merge("ALREADY_SUBSCRIBED", 1, Integer::sum);
                }
                case 2 -> { // subscribe then unsubscribe
                    commands.add(new String[] {"subscribe", e});
                    commands.add(new String[] {"unsubscribe", e});
                    expected.merge("SUBSCRIBED", 1, Integer::sum);
                    expected.merge("UNSUBSCRIBE_REQUESTED", 1, Integer::sum);
                }
                default -> { // unsubscribe nothing, subscribe, unsubscribe, subscribe again (waits for the goodbye)
                    commands.add(new String[] {"unsubscribe", e});
                    commands.add(new String[] {"subscribe", e});
                    commands.add(new String[] {"unsubscribe", e});
                    commands.add(new String[] {"subscribe", e});
                    expected.merge("NOT_SUBSCRIBED", 1, Integer::sum);
                    expected.merge("SUBSCRIBED", 2, Integer::sum);
                    expected.merge("UNSUBSCRIBE_REQUESTED", 1, Integer::sum);
                }
            }
            perEmail.add(commands);
        }
        List<KafkaLoad.Request> burst = new ArrayList<>();
        int[] next = new int[perEmail.size()];
        List<Integer> open =
                new ArrayList<>(IntStream.range(0, perEmail.size()).boxed().toList());
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            int email = open.get(pick);
            String[] command = perEmail.get(email).get(next[email]++);
            burst.add(command(command[0], command[1], "mx-" + burst.size()));
            if (next[email] == perEmail.get(email).size()) {
                open.remove(pick);
            }
        }
        progress("mixed: %d commands over %d emails, %s expected", burst.size(), emailCount, expected);
        RunResult result =
                measure("mixed.bridge-burst", () -> kafka.run("mixed.bridge-burst", burst, 0, cfg.runTimeout()));
        extra.put("mixedExpectedOutcomes", expected);
        extra.put("mixedOutcomesAsExpected", expected.equals(result.outcomes()));
        progress("  %.0f/s %s", result.throughputPerSecond(), result.outcomes());
        // Cancelled subscriptions send their goodbye; how many welcome emails ran before a cancel is not fixed.
        quiesce(0, 2000);
    }

    /**
     * What each kind of command costs Temporal through the bridge (calls and bytes per command, from the service's own
     * counters), for subscriptions whose run has thousands of history events and for fresh ones. The long histories
     * are grown with signals the workflow has no handler for: they add events and nothing else, so each email's
     * history reaches its size in seconds, without the emails that would take hours.
     */
    private void costPhase() throws Exception {
        int k = cfg.quick() ? 5 : 20;
        int events = cfg.quick() ? 1_000 : 3_000;
        List<String> old = emails("co", k);
        List<String> fresh = emails("cf", k);
        progress("cost: %d subscriptions grown to %d history events, and %d fresh ones", k, events, k);
        directStarts("cost-setup", old);
        List<String> signals = new ArrayList<>(k * events);
        for (int i = 0; i < events; i++) {
            signals.addAll(old);
        }
        direct.run("cost-grow", signals, calls::signal, cfg.runTimeout());
        Awaitility.await()
                .atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> old.stream().allMatch(e -> calls.historyLength(e) >= events));
        extra.put(
                "costLongHistoryEvents",
                old.stream().mapToLong(calls::historyLength).min().orElse(0));
        measure(
                "cost.new-subscribe.fresh",
                () -> bridgeCommands("cost.new-subscribe.fresh", subscribes("cfn", fresh), 0));
        extra.put(
                "costFreshHistoryEvents",
                fresh.stream().mapToLong(calls::historyLength).max().orElse(0));
        // In the order of Report.COST_KINDS.
        costOf("duplicate-subscribe", "subscribe", old, fresh);
        costOf("unsubscribe", "unsubscribe", old, fresh);
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        old.stream().noneMatch(calls::open) && fresh.stream().noneMatch(calls::open));
        costOf("unsubscribe-of-nothing", "unsubscribe", old, fresh);
        costOf("re-subscribe", "subscribe", old, fresh);
        quiesce(0, 1000);
    }

    /** One burst of {@code type} commands for each group of emails, measured on its own. */
    private void costOf(String kind, String type, List<String> old, List<String> fresh) throws Exception {
        for (Map.Entry<String, List<String>> group : List.of(Map.entry("long", old), Map.entry("fresh", fresh))) {
            String variant = "cost." + kind + "." + group.getKey();
            List<KafkaLoad.Request> burst = new ArrayList<>();
            for (String email : group.getValue()) {
                burst.add(command(type, email, variant + "-" + burst.size()));
            }
            RunResult result = measure(variant, () -> kafka.run(variant, burst, 0, cfg.runTimeout()));
            progress("  %s: %s", variant, result.outcomes());
        }
    }

    private void scalingPhase() throws Exception {
        if (!cfg.quick()) {
            // Does Temporal itself go faster with twice the concurrency that two instances bring?
            progress(
                    "scaling: direct at %d and %d threads, %d starts each",
                    cfg.concurrency(), 2 * cfg.concurrency(), cfg.n());
            RunResult d1 =
                    measure("scaling.direct-1x", () -> directStarts("scaling.direct-1x", emails("sd1", cfg.n())));
            progress("  %.0f/s", d1.throughputPerSecond());
            try (DirectLoad twice = new DirectLoad(2 * cfg.concurrency())) {
                directStarts("warmup-direct-2x", emails("wd2", cfg.warmup()), twice);
                RunResult d2 = measure(
                        "scaling.direct-2x", () -> directStarts("scaling.direct-2x", emails("sd2", cfg.n()), twice));
                progress("  %.0f/s", d2.throughputPerSecond());
            }
        }
        progress("scaling: 1 instance, burst of %d", cfg.n());
        RunResult one = measure(
                "scaling.1-instance",
                () -> bridgeCommands("scaling.1-instance", subscribes("s1", emails("s1", cfg.n())), 0));
        progress("  %.0f/s", one.throughputPerSecond());
        progress("scaling: starting a second instance in the same consumer groups");
        startService("service-2");
        awaitBalanced("bench-" + runId + "-commands", 2);
        bridgeCommands("warmup-2", subscribes("w2", emails("w2", cfg.warmup())), 0);
        progress("scaling: 2 instances, burst of %d", cfg.n());
        RunResult two = measure(
                "scaling.2-instances",
                () -> bridgeCommands("scaling.2-instances", subscribes("s2", emails("s2", cfg.n())), 0));
        progress("  %.0f/s", two.throughputPerSecond());
        ServiceProcess second = services.get(1);
        extra.put(
                "secondServicePeakRssMiB",
                second.peakRssMiB().isPresent() ? second.peakRssMiB().getAsLong() : null);
        second.close();
        services.remove(second);
    }

    /** Waits until the group has {@code members} members that share every partition between them, for 0.5 s. */
    private void awaitBalanced(String groupId, int members) {
        try (Admin admin = admin()) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .during(Duration.ofMillis(500))
                    .until(() -> {
                        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(groupId))
                                .all()
                                .get(10, TimeUnit.SECONDS)
                                .get(groupId);
                        long assigned = d.members().stream()
                                .mapToLong(m -> m.assignment().topicPartitions().size())
                                .sum();
                        boolean everyoneHasSome = d.members().stream()
                                .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                        return d.groupState() == GroupState.STABLE
                                && d.members().size() == members
                                && assigned == cfg.partitions()
                                && everyoneHasSome;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "consumer group " + groupId + " did not balance over " + members + " members in time");
        }
    }

    // ---------------------------------------------------------------- the two ways of doing the same thing

    private RunResult directStarts(String name, List<String> emails) throws InterruptedException {
        return directStarts(name, emails, direct);
    }

    private RunResult directStarts(String name, List<String> emails, DirectLoad load) throws InterruptedException {
        expectEmails(emails.size());
        RunResult result = load.run(name, emails, calls::start, cfg.runTimeout());
        afterStarts(result, emails);
        return result;
    }

    private RunResult processStarts(String name, List<String> emails) throws Exception {
        expectEmails(emails.size());
        RunResult result = directProcess.run(name, "start", emails);
        afterStarts(result, emails);
        return result;
    }

    private RunResult bridgeCommands(String name, List<KafkaLoad.Request> requests, int window)
            throws InterruptedException {
        expectEmails(requests.size());
        RunResult result = kafka.run(name, requests, window, cfg.runTimeout());
        List<String> emails = requests.stream()
                .map(r -> new String(r.record().key(), StandardCharsets.UTF_8))
                .toList();
        afterStarts(result, emails);
        return result;
    }

    /** Notes when the worker will have sent the first email of each of the next {@code starts} subscriptions. */
    private void expectEmails(int starts) {
        emailTargetReachedNanos = 0;
        emailTarget = emailsSent.get() + starts;
    }

    /** Lets the worker catch up on the workflows just started, so the next run starts on an idle Temporal. */
    private void afterStarts(RunResult result, List<String> emails) {
        if (result.unanswered() > 0) {
            throw new IllegalStateException(result.name() + ": " + result.unanswered() + " of " + emails.size()
                    + " got no answer within " + cfg.runTimeout().toSeconds() + " s (bench.run-timeout-s)");
        }
        runningEmails.addAll(emails);
        quiesce(emailTarget, 250);
        long reached = emailTargetReachedNanos;
        lastCompletedNanos = reached == 0
                ? 0
                : Math.max(reached, result.startNanos() + result.durationNanos()) - result.startNanos();
        emailTarget = Long.MAX_VALUE;
    }

    /** Waits until the worker sent at least {@code atLeast} emails and then sent no more for {@code quietMillis}. */
    private void quiesce(long atLeast, long quietMillis) {
        if (!cfg.worker()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(300))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> emailsSent.get() >= atLeast);
        } catch (ConditionTimeoutException e) {
            progress(
                    "  (the worker sent %d of the %d emails expected within 300 s; going on)",
                    emailsSent.get(), atLeast);
            return;
        }
        // Quiet: the count did not move between two looks quietMillis apart.
        long[] lastSeen = {-1};
        try {
            Awaitility.await()
                    .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(quietMillis))
                    .until(() -> {
                        long now = emailsSent.get();
                        boolean unchanged = now == lastSeen[0];
                        lastSeen[0] = now;
                        return unchanged;
                    });
        } catch (ConditionTimeoutException e) {
            // still sending after 300 s: go on, as the first wait does
        }
    }

    // ---------------------------------------------------------------- requests

    private List<String> emails(String tag, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "b" + runId + "-" + tag + "-" + i + "@bench.example.com")
                .toList();
    }

    private List<KafkaLoad.Request> subscribes(String tag, List<String> emails) {
        List<KafkaLoad.Request> requests = new ArrayList<>(emails.size());
        for (int i = 0; i < emails.size(); i++) {
            requests.add(command("subscribe", emails.get(i), tag + "-" + i));
        }
        return requests;
    }

    private KafkaLoad.Request command(String type, String email, String commandId) {
        String json = "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}";
        return new KafkaLoad.Request(
                commandId,
                new ProducerRecord<>(
                        topics.get("topics.commands"),
                        email.getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
    }

    private List<KafkaLoad.Request> detailsRequests(String tag, List<String> emails) {
        List<KafkaLoad.Request> requests = new ArrayList<>(emails.size());
        for (int i = 0; i < emails.size(); i++) {
            String id = tag + "-" + i;
            String json = "{\"email\":\"" + emails.get(i) + "\",\"requestId\":\"" + id + "\"}";
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    topics.get("topics.details-requests"), null, json.getBytes(StandardCharsets.UTF_8));
            record.headers().add("kafka_correlationId", id.getBytes(StandardCharsets.UTF_8));
            requests.add(new KafkaLoad.Request(id, record));
        }
        return requests;
    }

    // ---------------------------------------------------------------- measuring

    /** One timed run with the CPU the service, this JVM and the whole machine used meanwhile. */
    record Measured(
            RunResult result,
            long completedNanos,
            double windowSeconds,
            double serviceCpuSeconds,
            double clientCpuSeconds,
            double benchCpuSeconds,
            double machineBusySeconds,
            Map<String, Double> serviceThreadsBefore,
            Map<String, Double> serviceThreadsAfter,
            Map<String, Double> benchThreadsBefore,
            Map<String, Double> benchThreadsAfter,
            TemporalTrafficCount serviceTemporalTraffic,
            double serviceJitSeconds,
            double clientJitSeconds) {}

    private RunResult measure(String variant, Callable<RunResult> body) throws Exception {
        long self = ProcessHandle.current().pid();
        // Read first: the service answers /metrics on a thread of its own, whose CPU must stay out of the window.
        TemporalTrafficCount traffic0 = serviceTemporalTraffic();
        long window0 = System.nanoTime();
        double serviceCpu0 =
                services.stream().mapToDouble(ServiceProcess::cpuSeconds).sum();
        double clientCpu0 = directProcess.cpuSeconds();
        double benchCpu0 = ProcStats.cpuSeconds(self);
        double machine0 = ProcStats.machineBusySeconds();
        Map<String, Double> serviceThreads0 = serviceThreads();
        Map<String, Double> benchThreads0 = ProcStats.threadCpuSeconds(self);
        double serviceJit0 = services.stream()
                .mapToDouble(sp -> ProcStats.jitSeconds(sp.pid()))
                .sum();
        double clientJit0 = ProcStats.jitSeconds(directProcess.pid());
        lastCompletedNanos = 0;
        RunResult result = body.call();
        // Taken after the quiesce that each run ends with: the worker's share of the run is counted in full.
        double serviceCpu1 =
                services.stream().mapToDouble(ServiceProcess::cpuSeconds).sum();
        double clientCpu1 = directProcess.cpuSeconds();
        double benchCpu1 = ProcStats.cpuSeconds(self);
        double machine1 = ProcStats.machineBusySeconds();
        runs.computeIfAbsent(variant, v -> new ArrayList<>())
                .add(new Measured(
                        result,
                        lastCompletedNanos,
                        seconds(System.nanoTime() - window0),
                        serviceCpu1 - serviceCpu0,
                        clientCpu1 - clientCpu0,
                        benchCpu1 - benchCpu0,
                        machine1 - machine0,
                        serviceThreads0,
                        serviceThreads(),
                        benchThreads0,
                        ProcStats.threadCpuSeconds(self),
                        serviceTemporalTraffic().minus(traffic0),
                        services.stream()
                                        .mapToDouble(sp -> ProcStats.jitSeconds(sp.pid()))
                                        .sum()
                                - serviceJit0,
                        ProcStats.jitSeconds(directProcess.pid()) - clientJit0));
        return result;
    }

    private TemporalTrafficCount serviceTemporalTraffic() {
        return services.stream()
                .map(ServiceProcess::temporalTraffic)
                .reduce(TemporalTrafficCount.NONE, TemporalTrafficCount::plus);
    }

    private Map<String, Double> serviceThreads() {
        Map<String, Double> all = new HashMap<>();
        services.forEach(s -> s.threadCpuSeconds().forEach((k, v) -> all.merge(k, v, Double::sum)));
        return all;
    }

    private static final long STARTED = System.nanoTime();

    private static void progress(String format, Object... args) {
        System.out.printf("[bench %5.1fs] " + format + "%n", prepend(seconds(System.nanoTime() - STARTED), args));
        System.out.flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    @Override
    public synchronized void close() {
        List<AutoCloseable> toClose = new ArrayList<>(closeInReverse);
        closeInReverse.clear();
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("[bench] while stopping: " + e);
            }
        }
        ServiceProcess.deleteSnapshot();
    }
}
