package com.example.subscriptions.config;

import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Temporal's standard client configuration, as its CLI and SDKs read it ({@code temporal-envconfig}): a profile of the
 * TOML file ({@code TEMPORAL_CONFIG_FILE}, else {@code ~/.config/temporalio/temporal.toml}; {@code TEMPORAL_PROFILE},
 * else {@code default}) and the standard environment names. Both become the service's own {@code temporal.*} keys, so
 * an operator's existing Temporal environment carries over unchanged.
 */
final class TemporalStandardConfig {

    /** The standard names whose setting has another name of ours ({@code TEMPORAL_TLS_CERT_FILE} and so on). */
    static final Map<String, String> STANDARD_ENV = Map.of(
            "TEMPORAL_TLS", "temporal.tls.enabled",
            "TEMPORAL_TLS_CLIENT_CERT_PATH", "temporal.tls.cert-file",
            "TEMPORAL_TLS_CLIENT_KEY_PATH", "temporal.tls.key-file",
            "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "temporal.tls.ca-file");

    private TemporalStandardConfig() {}

    /** The profile's values, by our keys; empty when there is no file (or no {@code default} profile in it). */
    static Map<String, String> profile(Map<String, String> env) {
        ClientConfigProfile profile;
        try {
            profile = ClientConfigProfile.load(LoadClientConfigProfileOptions.newBuilder()
                    .setEnvOverrides(env)
                    .setDisableEnv(true)
                    .build());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("Cannot read Temporal's configuration file"
                    + Optional.ofNullable(env.get("TEMPORAL_CONFIG_FILE"))
                            .map(f -> " " + f)
                            .orElse("")
                    + " (profile " + env.getOrDefault("TEMPORAL_PROFILE", "default") + "): " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        put(values, "temporal.address", profile.getAddress());
        put(values, "temporal.namespace", profile.getNamespace());
        put(values, "temporal.api-key", profile.getApiKey());
        if (profile.getMetadata() != null && !profile.getMetadata().keys().isEmpty()) {
            throw unsupported("grpc_meta of the profile");
        }
        ClientConfigTLS tls = profile.getTls();
        if (tls != null) {
            // A [tls] section turns TLS on, as in Temporal's clients, unless it says disabled.
            values.put("temporal.tls.enabled", Boolean.toString(!Boolean.TRUE.equals(tls.isDisabled())));
            put(values, "temporal.tls.cert-file", tls.getClientCertPath());
            put(values, "temporal.tls.key-file", tls.getClientKeyPath());
            put(values, "temporal.tls.ca-file", tls.getServerCACertPath());
            put(values, "temporal.tls.server-name", tls.getServerName());
            refuseIf(tls.getClientCertData() != null, "client_cert_data", "client_cert_path");
            refuseIf(tls.getClientKeyData() != null, "client_key_data", "client_key_path");
            refuseIf(tls.getServerCACertData() != null, "server_ca_cert_data", "server_ca_cert_path");
            refuseIf(Boolean.TRUE.equals(tls.isDisableHostVerification()), "disable_host_verification", null);
        }
        return values;
    }

    /**
     * The standard environment names that differ from ours, by our keys. The ones Temporal and the service name alike
     * ({@code TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, {@code TEMPORAL_TLS_SERVER_NAME})
     * are read as any other environment variable.
     */
    static Map<String, String> environment(Map<String, String> env) {
        for (String name : new String[] {
            "TEMPORAL_TLS_CLIENT_CERT_DATA",
            "TEMPORAL_TLS_CLIENT_KEY_DATA",
            "TEMPORAL_TLS_SERVER_CA_CERT_DATA",
            "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION"
        }) {
            if (env.containsKey(name) && !env.get(name).isEmpty()) {
                throw unsupported("environment variable " + name);
            }
        }
        env.keySet().stream()
                .filter(n -> n.startsWith("TEMPORAL_GRPC_META_"))
                .findFirst()
                .ifPresent(n -> {
                    throw unsupported("environment variable " + n);
                });
        Map<String, String> values = new LinkedHashMap<>();
        STANDARD_ENV.forEach((name, key) -> {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                values.put(key, value);
            }
        });
        return values;
    }

    private static void put(Map<String, String> values, String key, String value) {
        if (value != null && !value.isEmpty()) {
            values.put(key, value);
        }
    }

    private static void refuseIf(boolean set, String field, String instead) {
        if (set) {
            throw unsupported("tls." + field + " of the profile" + (instead == null ? "" : " (use " + instead + ")"));
        }
    }

    private static ConfigException unsupported(String what) {
        return new ConfigException("Temporal's " + what + " is not supported by this service");
    }
}
