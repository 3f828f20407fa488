package com.example.subscriptions.deploy;

import static com.example.subscriptions.deploy.HelmChart.Rendered.container;
import static com.example.subscriptions.deploy.HelmChart.Rendered.label;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.OpsRoutes;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.deploy.HelmChart.Rendered;
import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart, linted and rendered offline by Helm, then held to the code it deploys: every environment variable
 * is one the service reads and the settings they make start the service, the probes are its routes on its ops port,
 * the KEDA triggers name the consumer groups, topics and task queue its pods use, no secret is written out, and
 * every object conforms to the strict schema of its kind.
 */
class HelmChartTest {

    static final Path PRODUCTION = Path.of("deploy", "helm", "examples", "production.yaml");
    static final Path EVERYTHING = Path.of("src", "test", "resources", "helm", "everything.yaml");
    static final List<String> ROLES = List.of("commands", "responder", "worker", "unsubscribe");

    /** Rendered once for all the tests that look at them. */
    private static final Map<String, Rendered> RENDERED = new java.util.LinkedHashMap<>();

    static synchronized Stream<Arguments> renderings() {
        if (RENDERED.isEmpty()) {
            RENDERED.put("the chart's defaults", HelmChart.render());
            RENDERED.put("the README's production values", HelmChart.render(PRODUCTION));
            RENDERED.put("every option", HelmChart.render(EVERYTHING));
        }
        return RENDERED.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @Test
    void theChartPassesStrictLint() {
        LintResult lint = HelmChart.lint(HelmChart.CHART);
        assertFalse(lint.isFailed(), "helm lint --strict: " + lint.getMessages());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyObjectConformsToTheStrictSchemaOfItsKind(String values, Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (JsonNode object : rendered.objects()) {
            KubernetesSchemas.violations(object)
                    .forEach(v -> violations.add(object.path("kind").asText() + " "
                            + object.at("/metadata/name").asText() + ": " + v));
        }
        assertEquals(List.of(), violations);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void eachRoleRunsAloneInItsOwnWorkloadWithSettingsTheServiceStartsWith(String values, Rendered rendered) {
        for (String role : ROLES) {
            JsonNode workload = rendered.workload(role);
            String expectedKind = Set.of("commands", "responder").contains(role) ? "StatefulSet" : "Deployment";
            assertEquals(expectedKind, workload.path("kind").asText(), role);
            PodEnvironment env = PodEnvironment.of(container(workload));
            env.settingsByVariable();
            Settings settings = env.settings();
            assertEquals(Set.of(Settings.Role.valueOf(role.toUpperCase(java.util.Locale.ROOT))), settings.roles());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void probesAreTheServiceRoutesOnItsOpsPortAndOnlyTheUnsubscribePortIsPublic(String values, Rendered rendered) {
        for (JsonNode workload : rendered.workloads()) {
            JsonNode container = container(workload);
            Settings settings = PodEnvironment.of(container).settings();
            String role = label(workload, "app.kubernetes.io/component");
            Map<String, Integer> ports = new java.util.TreeMap<>();
            container
                    .path("ports")
                    .forEach(p -> ports.put(
                            p.path("name").asText(), p.path("containerPort").asInt()));
            Map<String, Integer> expected = role.equals("unsubscribe")
                    ? Map.of(
                            "ops",
                            settings.serverPort(),
                            "public",
                            settings.unsubscribe().port())
                    : Map.of("ops", settings.serverPort());
            assertEquals(new java.util.TreeMap<>(expected), ports, role);

            assertProbe(container, "startupProbe", OpsRoutes.LIVE);
            assertProbe(container, "livenessProbe", OpsRoutes.LIVE);
            assertProbe(container, "readinessProbe", OpsRoutes.READY);
        }
        List<JsonNode> services = rendered.ofKind("Service");
        assertEquals(1, services.size(), "one Service: the public unsubscribe listener");
        JsonNode service = services.get(0);
        assertEquals(
                "unsubscribe",
                service.at("/spec/selector").path("app.kubernetes.io/component").asText());
        service.at("/spec/ports")
                .forEach(p -> assertEquals("public", p.path("targetPort").asText()));
        for (JsonNode ingress : rendered.ofKind("Ingress")) {
            ingress.findValues("backend").forEach(backend -> {
                assertEquals(
                        service.at("/metadata/name").asText(),
                        backend.at("/service/name").asText());
                assertEquals("public", backend.at("/service/port/name").asText());
            });
        }
    }

    private static void assertProbe(JsonNode container, String probe, String path) {
        JsonNode get = container.path(probe).path("httpGet");
        assertEquals(path, get.path("path").asText(), container.path("name").asText() + " " + probe);
        assertEquals("ops", get.path("port").asText(), container.path("name").asText() + " " + probe);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void podsOutliveTheirDrainAndConsumersHaveStaticMembershipFromThePodName(String values, Rendered rendered) {
        for (JsonNode workload : rendered.workloads()) {
            JsonNode pod = workload.at("/spec/template/spec");
            JsonNode container = container(workload);
            PodEnvironment env = PodEnvironment.of(container);
            long preStop = container.at("/lifecycle/preStop/exec/command").size() == 2
                    ? container.at("/lifecycle/preStop/exec/command/1").asLong()
                    : 0;
            long drain = env.settings().shutdownTimeout().toSeconds() + preStop;
            assertTrue(
                    pod.path("terminationGracePeriodSeconds").asLong() > drain,
                    workload.at("/metadata/name").asText() + ": grace " + pod.path("terminationGracePeriodSeconds")
                            + " s, drain " + drain + " s");
            assertTrue(container.at("/resources/limits/memory").isTextual(), "a memory limit");
            assertTrue(container.at("/resources/requests/memory").isTextual(), "a memory request");
            if (workload.path("kind").asText().equals("StatefulSet")) {
                JsonNode instanceId = env.entry("KAFKA_GROUP_INSTANCE_ID");
                if (instanceId != null) {
                    assertEquals(
                            "metadata.name",
                            instanceId.at("/valueFrom/fieldRef/fieldPath").asText());
                }
            } else {
                assertEquals(null, env.entry("KAFKA_GROUP_INSTANCE_ID"), "static membership needs stable names");
            }
        }
        assertTrue(
                PodEnvironment.of(container(rendered.workload("commands"))).entry("KAFKA_GROUP_INSTANCE_ID") != null,
                "the commands role is a static member by default");
    }

    @Test
    void theBounceMailboxReaderRunsOnlyWhenEnabledAloneWithItsPasswordFromASecretAndNoTemporalMaterial() {
        Rendered defaults = HelmChart.render();
        assertEquals(
                0,
                defaults.workloads().stream()
                        .filter(w -> "bounces".equals(label(w, "app.kubernetes.io/component")))
                        .count(),
                "no mailbox to read by default");

        JsonNode workload = HelmChart.render(EVERYTHING).workload("bounces");
        assertEquals("Deployment", workload.path("kind").asText());
        assertEquals(1, workload.at("/spec/replicas").asInt());
        assertEquals("Recreate", workload.at("/spec/strategy/type").asText(), "never two readers at once");
        PodEnvironment env = PodEnvironment.of(container(workload));
        assertEquals(Set.of(Settings.Role.BOUNCES), env.settings().roles());
        assertTrue(
                env.entry("BOUNCES_IMAP_PASSWORD").at("/valueFrom/secretKeyRef").isObject());
        assertTrue(env.entry("TEMPORAL_TLS_ENABLED") == null, "the reader makes no Temporal call");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void noSecretIsWrittenOutAndWorkersAndListenersShareTheLinkSecret(String values, Rendered rendered) {
        assertEquals(List.of(), rendered.ofKind("Secret"), "the chart references Secrets, it makes none");
        for (JsonNode workload : rendered.workloads()) {
            assertEquals(List.of(), PodEnvironment.of(container(workload)).plaintextSecrets());
        }
        JsonNode workerSecret =
                PodEnvironment.of(container(rendered.workload("worker"))).entry("UNSUBSCRIBE_SECRET");
        JsonNode listenerSecret =
                PodEnvironment.of(container(rendered.workload("unsubscribe"))).entry("UNSUBSCRIBE_SECRET");
        assertEquals(workerSecret, listenerSecret, "links signed by the worker must verify at the listener");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyObjectHasTheStandardLabelsAndEachRoleADisruptionBudget(String values, Rendered rendered) {
        for (JsonNode object : rendered.objects()) {
            for (String name : List.of(
                    "app.kubernetes.io/name",
                    "app.kubernetes.io/instance",
                    "app.kubernetes.io/version",
                    "app.kubernetes.io/managed-by",
                    "helm.sh/chart")) {
                assertTrue(label(object, name) != null, object.path("kind") + " without " + name);
            }
        }
        for (String role : ROLES) {
            JsonNode workload = rendered.workload(role);
            JsonNode budget = rendered.one("PodDisruptionBudget", role);
            JsonNode podLabels = workload.at("/spec/template/metadata/labels");
            budget.at("/spec/selector/matchLabels")
                    .properties()
                    .forEach(l -> assertEquals(l.getValue(), podLabels.get(l.getKey()), role));
            workload.at("/spec/selector/matchLabels")
                    .properties()
                    .forEach(l -> assertEquals(l.getValue(), podLabels.get(l.getKey()), role));
        }
    }

    @Test
    void withDefaultsTheTriggersNameTheServicesOwnGroupsTopicsAndTaskQueue() {
        Rendered rendered = HelmChart.render(HelmChart.CHART, List.of(), Map.of("autoscaling.enabled", "true"));
        Map<String, String> defaults = Settings.DEFAULTS;
        JsonNode commands = trigger(rendered, "commands", "kafka");
        assertEquals(
                defaults.get("commands.group-id"),
                commands.path("consumerGroup").asText());
        assertEquals(defaults.get("topics.commands"), commands.path("topic").asText());
        JsonNode responder = trigger(rendered, "responder", "kafka");
        assertEquals(
                defaults.get("details.group-id"),
                responder.path("consumerGroup").asText());
        assertEquals(
                defaults.get("topics.details-requests"), responder.path("topic").asText());
        JsonNode worker = trigger(rendered, "worker", "temporal");
        assertEquals(
                defaults.get("temporal.task-queue"), worker.path("taskQueue").asText());
        assertEquals(
                defaults.get("temporal.namespace"), worker.path("namespace").asText());
        assertEquals(
                Integer.parseInt(defaults.get("topics.partitions")),
                rendered.one("ScaledObject", "commands")
                        .at("/spec/maxReplicaCount")
                        .asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void triggersNameWhatThePodsTheyScaleConsumeAndAtMostOneReplicaPerPartition(String values, Rendered rendered) {
        for (JsonNode scaled : rendered.ofKind("ScaledObject")) {
            String role = label(scaled, "app.kubernetes.io/component");
            JsonNode workload = rendered.workload(role);
            assertEquals(workload.path("kind"), scaled.at("/spec/scaleTargetRef/kind"));
            assertEquals(workload.at("/metadata/name"), scaled.at("/spec/scaleTargetRef/name"));
            assertTrue(workload.at("/spec/replicas").isMissingNode(), role + ": KEDA owns the replica count");
            Settings settings = PodEnvironment.of(container(workload)).settings();
            JsonNode trigger = scaled.at("/spec/triggers/0");
            JsonNode metadata = trigger.path("metadata");
            switch (role) {
                case "commands", "responder" -> {
                    assertEquals("kafka", trigger.path("type").asText());
                    boolean commands = role.equals("commands");
                    assertEquals(
                            commands
                                    ? settings.commands().groupId()
                                    : settings.details().groupId(),
                            metadata.path("consumerGroup").asText());
                    assertEquals(
                            commands
                                    ? settings.topics().commands()
                                    : settings.topics().detailsRequests(),
                            metadata.path("topic").asText());
                    assertEquals(
                            settings.kafka().bootstrapServers(),
                            metadata.path("bootstrapServers").asText());
                    assertTrue(
                            scaled.at("/spec/maxReplicaCount").asInt()
                                    <= settings.topics().partitions(),
                            role);
                    assertEquals("false", metadata.path("allowIdleConsumers").asText());
                    String protocol = settings.kafka().properties().getOrDefault("security.protocol", "PLAINTEXT");
                    assertEquals(
                            protocol.endsWith("SSL") ? "enable" : "",
                            metadata.path("tls").asText(),
                            role);
                    assertEquals(
                            protocol.startsWith("SASL_"),
                            !metadata.path("sasl").asText().isEmpty(),
                            role);
                }
                case "worker" -> {
                    assertEquals("temporal", trigger.path("type").asText());
                    assertEquals(
                            settings.temporal().taskQueue(),
                            metadata.path("taskQueue").asText());
                    assertEquals(
                            settings.temporal().namespace(),
                            metadata.path("namespace").asText());
                    assertEquals(
                            settings.temporal().address(),
                            metadata.path("endpoint").asText());
                    assertTrue(scaled.at("/spec/minReplicaCount").asInt() >= 1, "timers need a worker");
                }
                default -> throw new AssertionError("no ScaledObject expected for " + role);
            }
            JsonNode auth = trigger.at("/authenticationRef/name");
            if (auth.isTextual() && role.equals("worker")) {
                assertTriggerAuthenticationUsesTheWorkersSecrets(rendered, auth.asText());
            }
        }
    }

    private static void assertTriggerAuthenticationUsesTheWorkersSecrets(Rendered rendered, String name) {
        JsonNode worker = container(rendered.workload("worker"));
        JsonNode apiKey = PodEnvironment.of(worker).entry("TEMPORAL_API_KEY");
        for (JsonNode auth : rendered.ofKind("TriggerAuthentication")) {
            if (!auth.at("/metadata/name").asText().equals(name)) {
                continue;
            }
            for (JsonNode ref : auth.at("/spec/secretTargetRef")) {
                if (ref.path("parameter").asText().equals("apiKey")) {
                    assertEquals(apiKey.at("/valueFrom/secretKeyRef/name"), ref.path("name"));
                    assertEquals(apiKey.at("/valueFrom/secretKeyRef/key"), ref.path("key"));
                }
            }
            return;
        }
        // A TriggerAuthentication the operator manages: nothing of the chart's to compare.
    }

    private static JsonNode trigger(Rendered rendered, String role, String type) {
        JsonNode trigger = rendered.one("ScaledObject", role).at("/spec/triggers/0");
        assertEquals(type, trigger.path("type").asText(), role);
        return trigger.path("metadata");
    }

    @Test
    void aSecretWrittenIntoTheSettingsIsRefusedBeforeAnythingIsRendered() {
        for (String key : List.of(
                "mail.password",
                "unsubscribe.secret",
                "temporal.api-key",
                "kafka.sasl.jaas.config",
                "privacy.keys",
                "privacy.id-key",
                "codec-server.token",
                "webhooks.secrets",
                "bounces.imap.password")) {
            IllegalStateException refused = assertThrows(
                    IllegalStateException.class,
                    () -> HelmChart.render(
                            HelmChart.CHART,
                            List.of(),
                            Map.of("settings." + key.replace(".", "\\."), "hunter2-hunter2-hunter2-hunter2-hunter2")),
                    key);
            assertTrue(refused.getMessage().contains("values don't meet the specifications of the schema"), key);
        }
    }

    @Test
    void aMisspeltValueIsRefusedBeforeAnythingIsRendered() {
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> HelmChart.render(HelmChart.CHART, List.of(), Map.of("worker.replica", "3")));
        assertTrue(refused.getMessage().contains("replica"), refused.getMessage());
    }

    @Test
    void theServicesAlertRulesBecomeThePrometheusRuleAsTheyAreInDeployPrometheus() throws IOException {
        Rendered rendered =
                HelmChart.render(HelmChart.CHART, List.of(), Map.of("metrics.prometheusRule.enabled", "true"));

        JsonNode rule = rendered.ofKind("PrometheusRule").get(0);
        JsonNode rules = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readTree(Path.of("deploy", "prometheus", "subscriptions.rules.yaml")
                        .toFile());
        assertEquals(rules.get("groups"), rule.at("/spec/groups"));
        assertEquals(List.of(), KubernetesSchemas.violations(rule));
        // {{ $labels.x }} reaches Prometheus as written: the chart reads the file, it does not template it.
        assertTrue(rule.toString().contains("{{ $labels.role }}"), rule.toString());
    }

    @Test
    void theSwitchWithoutARulesFileFails(@TempDir Path temp) throws IOException {
        Path chart = copyOfTheChart(temp.resolve("without-rules"));
        try (Stream<Path> rules = Files.list(chart.resolve("files/prometheus"))) {
            for (Path file : rules.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.delete(file);
            }
        }
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> HelmChart.render(chart, List.of(), Map.of("metrics.prometheusRule.enabled", "true")));
        assertTrue(refused.getMessage().contains("files/prometheus/"), refused.getMessage());
    }

    private static Path copyOfTheChart(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(HelmChart.CHART)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(HelmChart.CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        return target;
    }

    @Test
    void theReadmeShowsTheProductionValuesFileAsItIs() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Kubernetes");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        assertEquals(Files.readString(PRODUCTION), block, "README's Kubernetes values and " + PRODUCTION);
        assertTrue(block.lines().count() <= 13, "a values file of about a dozen lines");
    }

    @Test
    void everyObjectKindTheChartCanRenderHasASchema() {
        Set<String> kinds = new TreeSet<>();
        HelmChart.render(EVERYTHING)
                .objects()
                .forEach(o -> kinds.add(o.path("kind").asText()));
        assertEquals(
                new TreeSet<>(Set.of(
                        "Deployment",
                        "Ingress",
                        "PodDisruptionBudget",
                        "PodMonitor",
                        "ScaledObject",
                        "Service",
                        "ServiceAccount",
                        "StatefulSet",
                        "TriggerAuthentication")),
                kinds);
    }
}
