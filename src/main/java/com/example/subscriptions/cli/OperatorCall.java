package com.example.subscriptions.cli;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.Settings;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Mixin;

/**
 * What the operator's commands share: the settings, the Kafka clients they build from them, and one line (with its
 * exit code) for whatever stops them.
 */
abstract class OperatorCall implements Callable<Integer> {

    /** A reason to stop that the operator must read: printed as it is, ending the run with {@code exitCode}. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Stop(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    @Mixin
    ClientOptions options;

    abstract Cli cli();

    abstract int run(Settings settings, OperatorClients kafka) throws Exception;

    PrintStream out() {
        return cli().out();
    }

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = cli().settings(options);
        } catch (ConfigException e) {
            cli().err().println("Configuration error: " + e.getMessage());
            return Cli.USAGE;
        }
        String servers = settings.kafka().bootstrapServers();
        try {
            return run(settings, new OperatorClients(settings.kafka(), options));
        } catch (Stop stop) {
            cli().err().println(stop.getMessage());
            return stop.exitCode;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cli().err().println("Interrupted");
            return Cli.KAFKA_FAILED;
        } catch (ExecutionException | KafkaException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            // Kafka's own timeout, or the wait for one of its futures running out first.
            if (cause instanceof TimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
                cli().err()
                        .println("Kafka at " + servers + " (kafka.bootstrap.servers) did not answer within "
                                + ClientOptions.text(options.timeout)
                                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            } else {
                cli().err().println("Kafka at " + servers + " failed: " + cause);
            }
            return Cli.KAFKA_FAILED;
        } catch (Exception e) {
            cli().err().println("Failed: " + e);
            return Cli.KAFKA_FAILED;
        }
    }
}
