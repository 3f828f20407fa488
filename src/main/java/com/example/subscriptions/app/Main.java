package com.example.subscriptions.app;

import com.example.subscriptions.cli.Cli;
import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar subscriptions.jar [--config FILE] [ROLE ...]}: runs the service with the roles named (worker,
 * commands, responder, unsubscribe, bounces; all by default) until SIGTERM or Ctrl-C. {@code java -jar subscriptions.jar cli
 * ...} runs the {@link Cli} instead.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("cli")) {
            System.exit(Cli.runAsProcess(Arrays.copyOfRange(args, 1, args.length)));
        }
        // Not a static field: the CLI chooses its logging before anything starts SLF4J.
        Logger log = LoggerFactory.getLogger(Main.class);
        try {
            Settings settings = loadSettings(args);
            AtomicReference<Service> running = new AtomicReference<>();
            CountDownLatch stopped = new CountDownLatch(1);
            // Registered before the start: a consumer that fails while the others still start exits through it too.
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                Optional.ofNullable(running.get()).ifPresent(Service::close);
                                stopped.countDown();
                                // Drained and committed: a SIGTERM that ends this way is a clean stop, so say 0, not
                                // 143.
                                Runtime.getRuntime().halt(exitCode);
                            },
                            "shutdown"));
            running.set(Service.start(settings, Main::exitOnLoopFailure));
            stopped.await();
        } catch (ConfigException e) {
            log.error("Configuration error: {}", e.getMessage());
            exit(2);
        } catch (RuntimeException e) {
            // Typically Temporal or Kafka unreachable at start: say so in one line; the supervisor restarts us.
            log.error("Could not start: {}", e.toString());
            exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The code the process ends with once its shutdown hook has closed the service. */
    private static volatile int exitCode;

    /** The hook halts with {@link #exitCode}, whatever {@code System.exit} was given: set it first. */
    private static void exit(int code) {
        exitCode = code;
        System.exit(code);
    }

    private static void exitOnLoopFailure(Service.LoopFailure failure) {
        LoggerFactory.getLogger(Main.class)
                .error(
                        "The {} consumer stopped on an error it cannot get past: {};"
                                + " exiting, for the supervisor to restart the service",
                        failure.role(),
                        failure.error().toString());
        exit(1);
    }

    static Settings loadSettings(String[] args) {
        Optional<Path> file = Optional.empty();
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                if (i + 1 == args.length) {
                    throw new ConfigException("--config needs a file name");
                }
                file = Optional.of(Path.of(args[++i]));
            } else if (args[i].startsWith("--config=")) {
                file = Optional.of(Path.of(args[i].substring("--config=".length())));
            } else {
                roles.add(args[i]);
            }
        }
        if (!roles.isEmpty()) {
            System.setProperty("roles", String.join(",", roles));
        }
        return Settings.load(file);
    }
}
