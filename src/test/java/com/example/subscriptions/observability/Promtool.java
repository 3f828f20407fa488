package com.example.subscriptions.observability;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Prometheus' {@code promtool}, when it is on the {@code PATH} (Debian's {@code prometheus} package has it). */
final class Promtool {

    private Promtool() {}

    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
