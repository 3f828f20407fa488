package com.example.subscriptions.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The service as operators run it: {@code java -cp ... com.example.subscriptions.app.Main commands responder} in a
 * child JVM of its own, configured through environment variables only, in an empty working directory (so no
 * {@code config/application.properties} is read). Its CPU time and memory are read from /proc.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;
    private final Path workDir;
    private OptionalLong peakRssMiB = OptionalLong.empty();

    private ServiceProcess(String name, Process process, int httpPort, Path log, Path workDir) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.workDir = workDir;
    }

    /**
     * @param env the service's settings as environment variables; the port of its HTTP endpoints is added
     */
    static ServiceProcess start(
            String name, Map<String, String> env, List<String> jvmOptions, List<String> launcher, Path outDir)
            throws IOException {
        int port = freePort();
        Path workDir = Files.createTempDirectory("bench-service-");
        Path log = outDir.toAbsolutePath().resolve(name + ".log");
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, serviceClasspath()));
        command.add("com.example.subscriptions.app.Main");
        command.add("commands");
        command.add("responder");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        ServiceProcess service = new ServiceProcess(name, builder.start(), port, log, workDir);
        try {
            service.awaitReady();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    double cpuSeconds() {
        return ProcStats.cpuSeconds(process.pid());
    }

    /** Peak RSS so far; after {@link #close()}, the last value read before the process ended. */
    OptionalLong peakRssMiB() {
        if (process.isAlive()) {
            OptionalLong now = ProcStats.peakRssMiB(process.pid());
            if (now.isPresent()) {
                peakRssMiB = now;
            }
        }
        return peakRssMiB;
    }

    /** What the service has sent Temporal so far, from its metrics; none if it does not answer. */
    TemporalTrafficCount temporalTraffic() {
        try {
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return TemporalTrafficCount.parse(page.body());
        } catch (IOException e) {
            return TemporalTrafficCount.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TemporalTrafficCount.NONE;
        }
    }

    Map<String, Double> threadCpuSeconds() {
        return ProcStats.threadCpuSeconds(process.pid());
    }

    Path log() {
        return log;
    }

    /** Lines the service logged at WARN or ERROR. */
    long warnings() {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR).*"))
                    .count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            Awaitility.await()
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("The service " + name + " exited with "
                                    + process.exitValue() + " before it was ready; see " + log + ":\n" + tail());
                        }
                        try {
                            return http.send(ready, HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException e) {
                            return false; // not listening yet
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("The service " + name + " was not ready within " + READY_TIMEOUT.toSeconds()
                    + " s; see " + log + ":\n" + tail());
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGTERM: the service drains, commits and exits; killed if it takes longer than 30 s. */
    @Override
    public void close() {
        peakRssMiB();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteTree(workDir);
    }

    /**
     * The classpath this benchmark runs with, less the test classes (whose logback-test.xml would replace the
     * service's logging setup): under {@code mvn exec:java} it is the class loader's, under plain {@code java} the
     * {@code java.class.path}.
     */
    static List<String> serviceClasspath() {
        return fullClasspath().stream()
                .filter(e -> !e.replace('\\', '/').endsWith("test-classes")
                        && !e.replace('\\', '/').endsWith("test-classes/"))
                .toList();
    }

    private static List<String> snapshot;
    private static Path snapshotRoot;

    /**
     * The benchmark's own classpath, test classes included, with its class directories copied once to a temporary
     * directory: other builds in the same tree may clean or rewrite {@code target/classes} while the benchmark runs,
     * and a service started later must still find its classes.
     */
    static synchronized List<String> fullClasspath() {
        if (snapshot == null) {
            List<String> entries = new ArrayList<>();
            try {
                Path copies = Files.createTempDirectory("bench-classpath-");
                snapshotRoot = copies;
                int i = 0;
                for (String entry : com.example.subscriptions.devstack.JvmClasspath.entries()) {
                    Path path = Path.of(entry);
                    if (Files.isDirectory(path)) {
                        Path copy = copies.resolve(i++ + "-" + path.getFileName());
                        copyTree(path, copy);
                        entries.add(copy.toString());
                    } else {
                        entries.add(entry);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            snapshot = List.copyOf(entries);
        }
        return snapshot;
    }

    /** Removes the copied class directories. */
    static synchronized void deleteSnapshot() {
        if (snapshotRoot != null) {
            deleteTree(snapshotRoot);
            snapshotRoot = null;
            snapshot = null;
        }
    }

    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left behind in the temporary directory
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
