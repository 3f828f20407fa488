package com.example.subscriptions.devstack;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classpath a child JVM needs to run what this one runs: under {@code mvn exec:java} the project's classes come
 * from a class loader of the plugin's (and {@code java.class.path} names only Maven's launcher), under Surefire or a
 * plain {@code java} from {@code java.class.path}.
 */
public final class JvmClasspath {

    private JvmClasspath() {}

    /** Absolute entries, test classes included. */
    public static List<String> entries() {
        Set<String> entries = new LinkedHashSet<>();
        if (JvmClasspath.class.getClassLoader() instanceof URLClassLoader urls) {
            for (URL url : urls.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toAbsolutePath().toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file
                }
            }
        }
        if (entries.isEmpty()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return List.copyOf(entries);
    }
}
