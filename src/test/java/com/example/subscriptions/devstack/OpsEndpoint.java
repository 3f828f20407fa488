package com.example.subscriptions.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The service's ops HTTP endpoint ({@code server.port}) as a probe or Prometheus reads it. */
public final class OpsEndpoint {

    private OpsEndpoint() {}

    /**
     * The value of the series {@code name} whose labels include {@code label} (such as {@code role="commands"}), as
     * {@code /metrics} shows it now; fails if there is none.
     */
    public static double metric(int httpPort, String name, String label) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            return HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.ofString())
                    .body()
                    .lines()
                    .filter(line -> line.startsWith(name + "{") && line.contains(label))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no series " + name + "{" + label + "}"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
