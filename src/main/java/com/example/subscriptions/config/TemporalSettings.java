package com.example.subscriptions.config;

import java.nio.file.Path;
import java.util.Optional;

public record TemporalSettings(
        String address,
        String namespace,
        String taskQueue,
        String workflowType,
        Optional<String> apiKey,
        boolean tls,
        Optional<Path> tlsCertFile,
        Optional<Path> tlsKeyFile,
        Optional<Path> tlsCaFile,
        Optional<String> tlsServerName) {

    static TemporalSettings read(Values v) {
        return new TemporalSettings(
                v.text("temporal.address"),
                v.text("temporal.namespace"),
                v.text("temporal.task-queue"),
                v.text("temporal.workflow-type"),
                v.optional("temporal.api-key"),
                v.bool("temporal.tls.enabled"),
                v.optionalPath("temporal.tls.cert-file"),
                v.optionalPath("temporal.tls.key-file"),
                v.optionalPath("temporal.tls.ca-file"),
                v.optional("temporal.tls.server-name"));
    }

    @Override
    public String toString() {
        return "TemporalSettings[address=" + address + ", namespace=" + namespace + ", taskQueue=" + taskQueue
                + ", apiKey=" + apiKey.map(k -> "[hidden]").orElse("none") + ", tls=" + tls + "]";
    }
}
