package com.example.subscriptions.bench;

import com.example.subscriptions.core.Json;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The baseline client in a JVM of its own, as the service is: the same direct calls as {@link DirectLoad} in the
 * benchmark's JVM, without sharing that JVM (and its CPU share) with the Temporal test server. The benchmark drives
 * it over stdin/stdout, one line per request: {@code start FILE} or {@code query FILE} (one email per line) answers
 * with one JSON line.
 */
final class DirectClientProcess implements AutoCloseable {

    private final Process process;
    private final BufferedWriter toChild;
    private final BufferedReader fromChild;

    private DirectClientProcess(Process process) {
        this.process = process;
        this.toChild = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.fromChild = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static DirectClientProcess start(
            String temporalAddress,
            String namespace,
            String taskQueue,
            int concurrency,
            List<String> jvmOptions,
            List<String> launcher,
            Path log)
            throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, ServiceProcess.fullClasspath()));
        command.add(DirectClientProcess.class.getName());
        command.addAll(List.of(temporalAddress, namespace, taskQueue, Integer.toString(concurrency)));
        Process process =
                new ProcessBuilder(command).redirectError(log.toFile()).start();
        DirectClientProcess client = new DirectClientProcess(process);
        // JVM options such as a JFR recording print their own lines to stdout before ours.
        String ready = client.fromChild.readLine();
        while (ready != null && ready.startsWith("[") && !ready.equals("ready")) {
            ready = client.fromChild.readLine();
        }
        if (!"ready".equals(ready)) {
            client.close();
            throw new IllegalStateException("the direct client did not start (" + ready + "); see " + log);
        }
        return client;
    }

    long pid() {
        return process.pid();
    }

    RunResult run(String name, String operation, List<String> emails) throws IOException {
        Path file = Files.createTempFile("bench-emails-", ".txt");
        try {
            Files.write(file, emails);
            toChild.write(operation + " " + file + "\n");
            toChild.flush();
            String line = fromChild.readLine();
            if (line == null) {
                throw new IllegalStateException("the direct client process ended");
            }
            var json = Json.MAPPER.readTree(line);
            long[] latencies = new long[json.get("latencies").size()];
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] = json.get("latencies").get(i).asLong();
            }
            Map<String, Integer> outcomes = new TreeMap<>();
            json.get("outcomes")
                    .properties()
                    .forEach(e -> outcomes.put(e.getKey(), e.getValue().asInt()));
            // The child's System.nanoTime is the same monotonic clock as ours (Linux CLOCK_MONOTONIC).
            long start = json.get("startNanos").asLong();
            return new RunResult(
                    name,
                    latencies.length,
                    start,
                    json.get("durationNanos").asLong(),
                    latencies,
                    outcomes,
                    json.get("unanswered").asInt());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    double cpuSeconds() {
        return ProcStats.cpuSeconds(process.pid());
    }

    @Override
    public void close() {
        try {
            toChild.write("exit\n");
            toChild.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The child: {@code TEMPORAL_ADDRESS NAMESPACE TASK_QUEUE CONCURRENCY}. */
    public static void main(String[] args) throws Exception {
        // Stdout carries the protocol: everything else (logging) goes to stderr.
        java.io.PrintStream protocol = System.out;
        System.setOut(System.err);
        String address = args[0];
        String namespace = args[1];
        String taskQueue = args[2];
        int concurrency = Integer.parseInt(args[3]);
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
        WorkflowClient client = WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
        DirectCalls calls = new DirectCalls(client, taskQueue);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        protocol.println("ready");
        protocol.flush();
        try (DirectLoad load = new DirectLoad(concurrency)) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("exit")) {
                String[] parts = line.split(" ", 2);
                List<String> emails = Files.readAllLines(Path.of(parts[1]));
                RunResult r = load.run(
                        parts[0],
                        emails,
                        parts[0].equals("start") ? calls::start : calls::query,
                        Duration.ofMinutes(10));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("startNanos", r.startNanos());
                out.put("durationNanos", r.durationNanos());
                out.put("unanswered", r.unanswered());
                out.put("outcomes", r.outcomes());
                out.put("latencies", r.latencyNanos());
                protocol.println(Json.MAPPER.writeValueAsString(out));
                protocol.flush();
            }
        }
        stubs.shutdownNow();
        System.exit(0);
    }
}
