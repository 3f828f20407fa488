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

    @Override
    public String toString() {
        return "TemporalSettings[address=" + address + ", namespace=" + namespace + ", taskQueue=" + taskQueue
                + ", apiKey=" + apiKey.map(k -> "[hidden]").orElse("none") + ", tls=" + tls + "]";
    }
}
