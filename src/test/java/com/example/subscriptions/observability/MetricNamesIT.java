package com.example.subscriptions.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.cli.Cli;
import com.example.subscriptions.devstack.DevStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric name the alert rules and the dashboard read is in a real scrape of the running service, after a
 * subscribe, a details request and an unsubscribe went through it; and {@code promtool check metrics} takes the scrape.
 */
class MetricNamesIT {

    static final Path RULES = Path.of("deploy", "prometheus");
    static final Path DASHBOARDS = Path.of("deploy", "grafana");

    /** A Grafana variable's {@code label_values(metric, label)}: the expression before the last comma. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");

    private static DevStack stack;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startAndDriveACommandOfEachKind() {
        stack = DevStack.start(0, 0, Map.of("server.port", "0", "unsubscribe.port", "0"));
        assertEquals(0, cli("subscribe", "metrics@example.com"));
        assertEquals(0, cli("details", "metrics@example.com"));
        assertEquals(0, cli("unsubscribe", "metrics@example.com"));
        assertEquals(0, cli("bounce", "bounced-metrics@example.com"));
        // Asked of Temporal about a workflow that does not exist: a failed request, as Temporal counts them.
        cli("details", "nobody-metrics@example.com");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static int cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return Cli.run(
                args,
                Map.of("kafka.bootstrap.servers", stack.bootstrapServers()),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static String scrape() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + stack.service().httpPort() + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void everyNameTheRulesAndTheDashboardReadIsInAScrape() throws Exception {
        Map<String, Set<String>> used = usedNames();
        assertTrue(!used.isEmpty(), "no metric names found in " + RULES + " and " + DASHBOARDS);
        // The Temporal SDK reports every 10 s: wait for a scrape that has them all, then say which are missing.
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> missing(used, Scrape.parse(scrape())).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String last = scrape();
            Files.writeString(Path.of("target", "metric-names-scrape.txt"), last);
            assertEquals(Map.of(), missing(used, Scrape.parse(last)), "names missing (scrape in target/)");
        }
    }

    @Test
    void promtoolChecksTheScrapeWhenItIsInstalled() throws Exception {
        Optional<Path> promtool = Promtool.find();
        if (promtool.isEmpty()) {
            return;
        }
        Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = check.getOutputStream()) {
            in.write(scrape().getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        // 0: clean; 3: lint findings only. The Kafka client's and the Temporal SDK's own names have some (no help
        // text, units such as _ns), which are theirs to fix; ours must have none, and the scrape must parse (not 1).
        assertTrue(check.exitValue() == 0 || check.exitValue() == 3, "exit " + check.exitValue() + ": " + said);
        List<String> ours =
                said.lines().filter(line -> line.startsWith("subscriptions_")).toList();
        assertEquals(List.of(), ours);
    }

    /** For each name a rule or a panel reads, the files that read it. */
    static Map<String, Set<String>> usedNames() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        for (Path file : files(RULES, ".yaml")) {
            if (file.getFileName().toString().endsWith(".test.yaml")) {
                continue;
            }
            for (JsonNode group : new YAMLMapper().readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    note(used, PromQlNames.of(rule.path("expr").asText()), file);
                }
            }
        }
        for (Path file : files(DASHBOARDS, ".json")) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            List<String> expressions = new ArrayList<>();
            dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
            expressions.forEach(e -> note(used, PromQlNames.of(e), file));
            for (JsonNode variable : dashboard.at("/templating/list")) {
                Matcher labelValues =
                        LABEL_VALUES.matcher(variable.path("definition").asText());
                if (labelValues.find()) {
                    note(used, PromQlNames.of(labelValues.group(1)), file);
                }
            }
        }
        // Recording rules' own names are not the service's.
        Set<String> recorded = new TreeSet<>();
        for (Path file : files(RULES, ".yaml")) {
            for (JsonNode group : new YAMLMapper().readTree(file.toFile()).path("groups")) {
                group.path("rules").forEach(r -> {
                    if (r.has("record")) {
                        recorded.add(r.get("record").asText());
                    }
                });
            }
        }
        used.keySet().removeAll(recorded);
        return used;
    }

    private static void note(Map<String, Set<String>> used, Set<String> names, Path file) {
        names.forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>()).add(file.toString()));
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static Map<String, String> missing(Map<String, Set<String>> used, Scrape scrape) {
        Map<String, String> missing = new TreeMap<>();
        used.forEach((name, where) -> scrape.problemWith(name).ifPresent(p -> missing.put(name, p + " in " + where)));
        return missing;
    }
}
