package com.example.subscriptions.bench;

import com.example.subscriptions.devstack.ServiceJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * The service as operators run it, in a JVM of its own ({@link ServiceJvm}: {@code java -cp ... Main commands
 * responder}, configured through environment variables only), with what the benchmark reads of it: its CPU time and
 * memory from /proc, and its calls to Temporal from its metrics.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final ServiceJvm jvm;
    private OptionalLong peakRssMiB = OptionalLong.empty();

    private ServiceProcess(String name, ServiceJvm jvm) {
        this.name = name;
        this.jvm = jvm;
    }

    /** @param settings the service's settings; its HTTP port is chosen here */
    static ServiceProcess start(
            String name, Map<String, String> settings, List<String> jvmOptions, List<String> launcher, Path outDir) {
        ServiceJvm jvm = ServiceJvm.with(settings)
                .roles("commands", "responder")
                .classpath(serviceClasspath())
                .jvmOptions(jvmOptions)
                .prefix(launcher)
                .log(outDir.resolve(name + ".log"))
                .start();
        ServiceProcess service = new ServiceProcess(name, jvm);
        try {
            jvm.awaitReady(READY_TIMEOUT);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    long pid() {
        return jvm.pid();
    }

    String name() {
        return name;
    }

    double cpuSeconds() {
        return ProcStats.cpuSeconds(jvm.pid());
    }

    /** Peak RSS so far; after {@link #close()}, the last value read before the process ended. */
    OptionalLong peakRssMiB() {
        if (jvm.isAlive()) {
            OptionalLong now = ProcStats.peakRssMiB(jvm.pid());
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
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jvm.httpPort() + "/metrics"))
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
        return ProcStats.threadCpuSeconds(jvm.pid());
    }

    Path log() {
        return jvm.log();
    }

    /** Lines the service logged at WARN or ERROR. */
    long warnings() {
        return jvm.output()
                .lines()
                .filter(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR).*"))
                .count();
    }

    /** SIGTERM: the service drains, commits and exits; killed if it takes longer than 30 s. */
    @Override
    public void close() {
        peakRssMiB();
        jvm.terminate();
        jvm.awaitExit(Duration.ofSeconds(30));
        jvm.close();
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
}
