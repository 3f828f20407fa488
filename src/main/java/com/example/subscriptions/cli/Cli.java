package com.example.subscriptions.cli;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.status.DetailsReply;
import com.example.subscriptions.status.DetailsRequestParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code subscriptions subscribe|unsubscribe|confirm|details|bounce|complaint|unsuppress|erase EMAIL [OPTIONS]}: sends the command or
 * details request through Kafka as any client would, waits for its event or reply, and prints it as JSON. Reads the
 * service's settings.
 */
@Command(
        name = "subscriptions",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Sends a subscription command or details request through Kafka, as any client would, and "
                + "prints the service's answer as JSON. Reads the same settings as the service.",
        subcommands = {
            CommandCalls.Subscribe.class,
            CommandCalls.Unsubscribe.class,
            CommandCalls.Confirm.class,
            Cli.Details.class,
            CommandCalls.Bounce.class,
            CommandCalls.Complaint.class,
            CommandCalls.Unsuppress.class,
            CommandCalls.Erase.class,
            DeadLettersCommand.class,
            ReplayCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:the command was REJECTED, a subscribe was refused as SUPPRESSED, the details are UNAVAILABLE or the"
                    + " request INVALID_REQUEST; a replay refused",
            "2:usage or configuration error",
            "3:no answer in time: is the service running?",
            "4:Kafka cannot be reached at the configured bootstrap servers, or refused the request"
        })
public final class Cli {

    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int NO_ANSWER = 3;
    public static final int KAFKA_FAILED = 4;

    final PrintStream out;
    final PrintStream err;
    private final Map<String, String> overrides;

    private Cli(PrintStream out, PrintStream err, Map<String, String> overrides) {
        this.out = out;
        this.err = err;
        this.overrides = overrides;
    }

    /** The {@code cli} of {@code java -jar subscriptions.jar cli ...}: this process's console is the CLI's. */
    public static int runAsProcess(String[] args) {
        ConsoleLogging.chooseFor(args);
        return new Cli(System.out, System.err, Map.of()).execute(args);
    }

    /** Runs inside another program: settings from the usual layers, its logging left alone. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, Map.of(), out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)} with {@code overrides} on top of the usual layers. */
    public static int run(String[] args, Map<String, String> overrides, PrintStream out, PrintStream err) {
        return new Cli(out, err, overrides).execute(args);
    }

    private int execute(String[] args) {
        return new CommandLine(this)
                .setSubcommandsCaseInsensitive(true)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .execute(args);
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** The settings of the usual layers, with this run's overrides on top. */
    Settings settings(ClientOptions options) {
        return Settings.load(options.configFile(), System.getenv(), System.getProperties(), overrides);
    }

    /** What every subcommand does: read the settings, send one request, report its answer. */
    abstract static class Call implements Callable<Integer> {

        @ParentCommand
        Cli cli;

        @Mixin
        ClientOptions options;

        @Parameters(
                paramLabel = "EMAIL",
                converter = EmailConverter.class,
                description = "The subscriber's address (trimmed and lower-cased, as the service does).")
        EmailAddress email;

        @Override
        public Integer call() {
            Settings settings;
            try {
                settings = cli.settings(options);
            } catch (ConfigException e) {
                cli.err.println("Configuration error: " + e.getMessage());
                return USAGE;
            }
            RoundTrip roundTrip = new RoundTrip(settings.kafka(), options.timeout, options.connectTimeout);
            return report(send(settings, roundTrip), settings);
        }

        abstract RoundTrip.Result send(Settings settings, RoundTrip roundTrip);

        /** The exit code for an answer, once printed. */
        abstract int exitCode(JsonNode answer);

        /** Which answer did not come, and from which role of the service. */
        abstract String missing(Settings settings);

        private int report(RoundTrip.Result result, Settings settings) {
            String servers = settings.kafka().bootstrapServers();
            if (result instanceof RoundTrip.Result.Answered answered) {
                cli.out.println(answered.answer());
                return exitCode(answered.answer());
            }
            if (result instanceof RoundTrip.Result.Unreachable unreachable) {
                cli.err.println("Kafka at " + servers + " (kafka.bootstrap.servers) cannot be reached: "
                        + unreachable.why() + ".");
                return KAFKA_FAILED;
            }
            if (result instanceof RoundTrip.Result.TopicMissing missing) {
                cli.err.println("Topic " + missing.topic() + " does not exist at " + servers
                        + ": is the service set up there, with the same topics.* settings?");
                return USAGE;
            }
            if (result instanceof RoundTrip.Result.Failed failed) {
                cli.err.println("Kafka at " + servers + " failed: " + failed.why());
                return KAFKA_FAILED;
            }
            cli.err.println("No " + missing(settings) + " within " + ClientOptions.text(options.timeout)
                    + ": is the service running?");
            return NO_ANSWER;
        }
    }

    @Command(
            name = "details",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = "Asks for the details of EMAIL's subscription and prints the reply.")
    static final class Details extends Call {

        @Override
        RoundTrip.Result send(Settings settings, RoundTrip roundTrip) {
            byte[] correlationId = Utf8.encode("cli-" + UUID.randomUUID());
            RecordHeaders headers = new RecordHeaders();
            headers.add(DetailsRequestParser.CORRELATION_ID, correlationId);
            headers.add(
                    DetailsRequestParser.REPLY_TOPIC,
                    Utf8.encode(settings.topics().detailsReplies()));
            headers.add(
                    DetailsRequestParser.DEADLINE,
                    Utf8.encode(Long.toString(System.currentTimeMillis() + options.timeout.toMillis())));
            return roundTrip.exchange(
                    new ProducerRecord<>(
                            settings.topics().detailsRequests(),
                            null,
                            Utf8.encode(email.value()),
                            Json.toBytes(Map.of("email", email.value())),
                            headers),
                    settings.topics().detailsReplies(),
                    record -> {
                        Header header = record.headers().lastHeader(DetailsRequestParser.CORRELATION_ID);
                        return header != null && Arrays.equals(correlationId, header.value());
                    });
        }

        @Override
        int exitCode(JsonNode reply) {
            String status = reply.path("status").asText();
            boolean unanswerable =
                    status.equals(DetailsReply.UNAVAILABLE) || status.equals(DetailsReply.INVALID_REQUEST);
            return unanswerable ? REFUSED : OK;
        }

        @Override
        String missing(Settings settings) {
            return "reply on " + settings.topics().detailsReplies() + " (responder role)";
        }
    }

    /** An email argument, normalised and checked as the service checks it. */
    static final class EmailConverter implements ITypeConverter<EmailAddress> {
        @Override
        public EmailAddress convert(String value) {
            EmailAddress.Parsed parsed = EmailAddress.parse(value);
            if (parsed instanceof EmailAddress.Parsed.Invalid invalid) {
                throw new TypeConversionException("not an email address: " + invalid.reason());
            }
            return ((EmailAddress.Parsed.Valid) parsed).email();
        }
    }

    /** The version the jar's manifest carries. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"subscriptions " + (version == null ? "(not built as a jar)" : version)};
        }
    }
}
