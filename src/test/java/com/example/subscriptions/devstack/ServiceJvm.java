package com.example.subscriptions.devstack;

import com.example.subscriptions.app.Main;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The service in a JVM of its own, as operators run it: {@code java -cp ... Main ROLES} or {@code java -jar}, in an
 * empty working directory (so no {@code config/application.properties} is read), configured by environment variables
 * alone, its output in a log file. The environment is explicit: the settings given, and of this JVM's only what a JVM
 * needs to run ({@code PATH}, {@code HOME}, the locale and time zone), so nothing a developer exported reaches the
 * service. {@link #kill()} is a crash; {@link #terminate()} is what a supervisor's stop sends.
 */
public final class ServiceJvm implements AutoCloseable {

    /** Small, quick to start, and like the service's own launcher: a serial collector and a bounded heap. */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final Set<String> INHERITED =
            Set.of("PATH", "HOME", "USER", "TMPDIR", "TZ", "LANG", "LC_ALL", "LC_CTYPE");

    private final Process process;
    private final Path workDir;
    private final Path log;
    private final int httpPort;
    private final Thread reaper;

    private ServiceJvm(Process process, Path workDir, Path log, int httpPort) {
        this.process = process;
        this.workDir = workDir;
        this.log = log;
        this.httpPort = httpPort;
        // Never outlive the test JVM, whatever happens to the test.
        this.reaper = new Thread(process::destroyForcibly, "service-jvm-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** A service with these settings (keys as in {@code config/application.properties}); {@code start()} runs it. */
    public static Launch with(Map<String, String> settings) {
        return new Launch(settings);
    }

    /** The variable the service reads a setting from: {@code commands.group-id} is {@code COMMANDS_GROUP_ID}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** What to run; everything but the settings has a default. */
    public static final class Launch {

        private final Map<String, String> settings;
        private List<String> arguments = List.of();
        private Optional<Path> jar = Optional.empty();
        private Optional<List<String>> classpath = Optional.empty();
        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        private List<String> prefix = List.of();
        private Optional<Path> log = Optional.empty();

        private Launch(Map<String, String> settings) {
            this.settings = new HashMap<>(settings);
        }

        /** The roles to run, as the command line names them; none means what {@code roles} says. */
        public Launch roles(String... roles) {
            this.arguments = List.of(roles);
            return this;
        }

        /** {@code java -jar} this jar, as the README runs it, instead of the classes on this JVM's classpath. */
        public Launch jar(Path jar) {
            this.jar = Optional.of(jar);
            return this;
        }

        /** Instead of this JVM's own classpath. */
        public Launch classpath(List<String> entries) {
            this.classpath = Optional.of(List.copyOf(entries));
            return this;
        }

        public Launch jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** A command that runs {@code java}, such as {@code taskset -c 1}. */
        public Launch prefix(List<String> command) {
            this.prefix = List.copyOf(command);
            return this;
        }

        /** Where its output goes; by default a file in its working directory, deleted on {@link #close()}. */
        public Launch log(Path file) {
            this.log = Optional.of(file.toAbsolutePath());
            return this;
        }

        public ServiceJvm start() {
            int port = Integer.parseInt(settings.getOrDefault("server.port", "0"));
            int httpPort = port > 0 ? port : freePort();
            settings.put("server.port", Integer.toString(httpPort));
            List<String> command = new ArrayList<>(prefix);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            if (jar.isPresent()) {
                command.addAll(List.of("-jar", jar.get().toAbsolutePath().toString()));
            } else {
                command.addAll(List.of(
                        "-cp",
                        String.join(File.pathSeparator, classpath.orElseGet(JvmClasspath::entries)),
                        Main.class.getName()));
            }
            command.addAll(arguments);
            try {
                Path workDir = Files.createTempDirectory("service-jvm-");
                Path output = log.orElse(workDir.resolve("service.log"));
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                Map<String, String> env = builder.environment();
                env.keySet().retainAll(INHERITED);
                settings.forEach((key, value) -> env.put(envName(key), value));
                return new ServiceJvm(builder.start(), workDir, output, httpPort);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its {@code server.port}: health and metrics. */
    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return log;
    }

    /** Everything it has written so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The last lines of its output, for failure messages. */
    public String outputTail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Waits until {@code /health/ready} answers 200; fails at once, with its output, if it exits. */
    public void awaitReady(Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("the service exited before it was ready", () -> !process.isAlive())
                    .until(() -> {
                        try {
                            return http.send(ready, HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException notListeningYet) {
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException(e.getMessage() + "; its output ends:\n" + outputTail(), e);
        }
    }

    /** The crash: SIGKILL, then waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        if (!waitFor(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the service did not die");
        }
    }

    /** SIGTERM, as a supervisor stops it; returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Its exit code, once it has exited; empty if it still runs after {@code timeout}. */
    public Optional<Integer> awaitExit(Duration timeout) {
        return waitFor(timeout) ? Optional.of(process.exitValue()) : Optional.empty();
    }

    /** The value of one series of its {@code /metrics}, such as {@code subscriptions_in_flight{role="commands"}}. */
    public double metric(String name, String label) {
        return OpsEndpoint.metric(httpPort, name, label);
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills it if it still runs, and deletes its working directory. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    /** A port free now on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
