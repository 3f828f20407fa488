package com.example.subscriptions.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The chart of {@code deploy/helm/subscriptions}, rendered offline by Helm itself (helm-java), as parsed objects. */
final class HelmChart {

    static final Path CHART = Path.of("deploy", "helm", "subscriptions");
    static final String RELEASE = "subs";
    /** A current Kubernetes: Helm checks the chart's kubeVersion against it. */
    static final String KUBE_VERSION = "1.34.0";

    private static final YAMLMapper YAML = new YAMLMapper();

    private HelmChart() {}

    static LintResult lint(Path chart) {
        return new Helm(chart).lint().strict().call();
    }

    /** {@code helm template} with the values files in order, then the {@code --set} values. */
    static Rendered render(Path chart, List<Path> valuesFiles, Map<String, String> set) {
        var template = new Helm(chart).template().withName(RELEASE).withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file);
        }
        for (Map.Entry<String, String> entry : set.entrySet()) {
            template = template.set(entry.getKey(), entry.getValue());
        }
        return new Rendered(parse(template.call()));
    }

    static Rendered render(Path... valuesFiles) {
        return render(CHART, List.of(valuesFiles), Map.of());
    }

    private static List<JsonNode> parse(String manifests) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents =
                YAML.readerFor(JsonNode.class).readValues(manifests)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    objects.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template wrote YAML that does not parse", e);
        }
        return objects;
    }

    /** The objects of one rendering. */
    record Rendered(List<JsonNode> objects) {

        List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(kind(kind)).toList();
        }

        JsonNode one(String kind, String role) {
            List<JsonNode> found = objects.stream()
                    .filter(kind(kind).and(o -> role.equals(label(o, "app.kubernetes.io/component"))))
                    .toList();
            if (found.size() != 1) {
                throw new AssertionError(found.size() + " objects of kind " + kind + " for role " + role);
            }
            return found.get(0);
        }

        /** The StatefulSet or Deployment of a role. */
        JsonNode workload(String role) {
            List<JsonNode> found = objects.stream()
                    .filter(kind("StatefulSet").or(kind("Deployment")))
                    .filter(o -> role.equals(label(o, "app.kubernetes.io/component")))
                    .toList();
            if (found.size() != 1) {
                throw new AssertionError(found.size() + " workloads for role " + role);
            }
            return found.get(0);
        }

        List<JsonNode> workloads() {
            return objects.stream()
                    .filter(kind("StatefulSet").or(kind("Deployment")))
                    .toList();
        }

        static JsonNode container(JsonNode workload) {
            JsonNode containers = workload.at("/spec/template/spec/containers");
            if (containers.size() != 1) {
                throw new AssertionError("one container per pod, found " + containers.size());
            }
            return containers.get(0);
        }

        static String label(JsonNode object, String name) {
            return object.at("/metadata/labels").path(name).asText(null);
        }

        private static Predicate<JsonNode> kind(String kind) {
            return o -> kind.equals(o.path("kind").asText());
        }
    }
}
