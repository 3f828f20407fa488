package com.example.subscriptions.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every setting of the service, typed. {@link #DEFAULTS} is the one list of keys and defaults;
 * {@code config/application.properties} documents each of them.
 */
public record Settings(
        Set<Role> roles,
        TemporalSettings temporal,
        KafkaClientSettings kafka,
        Topics topics,
        CommandSettings commands,
        DetailsSettings details,
        MailSettings mail,
        UnsubscribeSettings unsubscribe,
        int serverPort,
        Optional<String> serverBindAddress,
        boolean showEmails,
        Duration shutdownTimeout) {

    public enum Role {
        WORKER,
        COMMANDS,
        RESPONDER,
        UNSUBSCRIBE
    }

    public static final Path DEFAULT_FILE = Path.of("config", "application.properties");

    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("roles", "worker,commands,responder,unsubscribe");
        d.put("temporal.address", "localhost:7233");
        d.put("temporal.namespace", "default");
        d.put("temporal.task-queue", "email_subscription");
        d.put("temporal.workflow-type", "SendEmailWorkflow");
        d.put("temporal.api-key", "");
        d.put("temporal.tls.enabled", "false");
        d.put("temporal.tls.cert-file", "");
        d.put("temporal.tls.key-file", "");
        d.put("temporal.tls.ca-file", "");
        d.put("temporal.tls.server-name", "");
        d.put("subscription.interval", "PT12S");
        d.put("subscription.emails-per-run", "500");
        d.put("kafka.bootstrap.servers", "localhost:9092");
        d.put("topics.commands", "subscription-commands");
        d.put("topics.events", "subscription-events");
        d.put("topics.commands-dlt", "subscription-commands-dlt");
        d.put("topics.details-requests", "subscription-details-requests");
        d.put("topics.details-replies", "subscription-details-replies");
        d.put("topics.details-requests-dlt", "subscription-details-requests-dlt");
        d.put("topics.create", "true");
        d.put("topics.partitions", "6");
        d.put("topics.replication-factor", "1");
        d.put("commands.group-id", "subscription-commands");
        d.put("commands.max-in-flight", "64");
        d.put("commands.max-record-bytes", "16384");
        d.put("details.group-id", "subscription-details");
        d.put("details.max-in-flight", "64");
        d.put("details.query-timeout", "PT5S");
        d.put("mail.sender", "log");
        d.put("mail.host", "");
        d.put("mail.port", "587");
        d.put("mail.tls", "starttls-required");
        d.put("mail.username", "");
        d.put("mail.password", "");
        d.put("mail.from", "");
        d.put("mail.reply-to", "");
        d.put("mail.connect-timeout", "PT5S");
        d.put("mail.read-timeout", "PT5S");
        d.put("mail.templates-dir", "config/mail");
        d.put("unsubscribe.base-url", "");
        d.put("unsubscribe.port", "8081");
        d.put("unsubscribe.secret", "");
        d.put("unsubscribe.bind-address", "");
        d.put("unsubscribe.trusted-proxies", "");
        d.put("unsubscribe.rate-limit", "120");
        d.put("unsubscribe.click-window", "PT30S");
        d.put("unsubscribe.header-timeout", "PT10S");
        d.put("unsubscribe.body-timeout", "PT10S");
        d.put("unsubscribe.idle-timeout", "PT30S");
        d.put("unsubscribe.max-connections", "512");
        d.put("server.port", "8080");
        d.put("server.bind-address", "");
        d.put("log.show-emails", "false");
        d.put("shutdown.timeout", "PT30S");
        return java.util.Collections.unmodifiableMap(d);
    }

    /** Reads the file (if present), then the process environment, then system properties. */
    public static Settings load(Optional<Path> file) {
        return load(file, System.getenv(), System.getProperties(), Map.of());
    }

    /**
     * The layers given explicitly: defaults, then {@code file} ({@code config/application.properties} if empty and
     * present), then {@code env}, then {@code system}, then {@code overrides} (what a launcher such as the dev stack
     * must decide itself).
     */
    public static Settings load(
            Optional<Path> file, Map<String, String> env, Properties system, Map<String, String> overrides) {
        Path path = file.orElse(Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null);
        if (file.isPresent() && !Files.exists(file.get())) {
            throw new ConfigException("Configuration file not found: " + file.get());
        }
        Map<String, String> values = ConfigSources.merge(DEFAULTS, path, env, system);
        values.putAll(ConfigSources.checked(DEFAULTS, overrides, "overrides"));
        return from(values);
    }

    /** Settings from defaults overridden by {@code overrides} alone, as tests and the dev stack build them. */
    public static Settings of(Map<String, String> overrides) {
        Map<String, String> values = ConfigSources.merge(DEFAULTS, null, Map.of(), new Properties());
        values.putAll(ConfigSources.checked(DEFAULTS, overrides, "overrides"));
        return from(values);
    }

    static Settings from(Map<String, String> values) {
        Values v = new Values(values);
        Map<String, String> kafka = new LinkedHashMap<>();
        Map<String, String> smtp = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(ConfigSources.KAFKA_PREFIX) && !value.isBlank()) {
                kafka.put(key.substring(ConfigSources.KAFKA_PREFIX.length()), value);
            } else if (key.startsWith(MailSmtpProperties.PREFIX) && !value.isBlank()) {
                smtp.put(key, value.trim());
            }
        });
        MailSettings mail = mail(v, smtp);
        return new Settings(
                v.roles("roles"),
                new TemporalSettings(
                        v.text("temporal.address"),
                        v.text("temporal.namespace"),
                        v.text("temporal.task-queue"),
                        v.text("temporal.workflow-type"),
                        v.optional("temporal.api-key"),
                        v.bool("temporal.tls.enabled"),
                        v.optionalPath("temporal.tls.cert-file"),
                        v.optionalPath("temporal.tls.key-file"),
                        v.optionalPath("temporal.tls.ca-file"),
                        v.optional("temporal.tls.server-name")),
                new KafkaClientSettings(kafka),
                new Topics(
                        v.text("topics.commands"),
                        v.text("topics.events"),
                        v.text("topics.commands-dlt"),
                        v.text("topics.details-requests"),
                        v.text("topics.details-replies"),
                        v.text("topics.details-requests-dlt"),
                        v.bool("topics.create"),
                        v.positiveInt("topics.partitions"),
                        v.positiveInt("topics.replication-factor")),
                new CommandSettings(
                        v.text("commands.group-id"),
                        v.positiveInt("commands.max-in-flight"),
                        v.positiveInt("commands.max-record-bytes"),
                        v.positiveDuration("subscription.interval"),
                        v.positiveInt("subscription.emails-per-run")),
                new DetailsSettings(
                        v.text("details.group-id"),
                        v.positiveInt("details.max-in-flight"),
                        v.positiveDuration("details.query-timeout")),
                mail,
                unsubscribe(v, mail.sender()),
                v.port("server.port"),
                v.optional("server.bind-address"),
                v.bool("log.show-emails"),
                v.positiveDuration("shutdown.timeout"));
    }

    private static MailSettings mail(Values v, Map<String, String> smtp) {
        MailSettings.Sender sender = v.choice("mail.sender", MailSettings.Sender.class, s -> s.name());
        boolean smtpSender = sender == MailSettings.Sender.SMTP;
        Optional<String> username = v.optional("mail.username");
        Optional<String> password = v.optional("mail.password");
        if (password.isPresent() && username.isEmpty()) {
            throw new ConfigException(
                    "Setting 'mail.password' is set but 'mail.username' is empty; set both or" + " neither");
        }
        return new MailSettings(
                sender,
                smtpSender ? Optional.of(v.text("mail.host")) : v.optional("mail.host"),
                v.tcpPort("mail.port"),
                v.choice("mail.tls", MailSettings.Tls.class, MailSettings.Tls::setting),
                username,
                password,
                smtpSender ? Optional.of(v.text("mail.from")) : v.optional("mail.from"),
                v.optional("mail.reply-to"),
                v.positiveDuration("mail.connect-timeout"),
                v.positiveDuration("mail.read-timeout"),
                Path.of(v.text("mail.templates-dir")),
                smtp);
    }

    private static UnsubscribeSettings unsubscribe(Values v, MailSettings.Sender sender) {
        Optional<String> secret = v.optional("unsubscribe.secret");
        if (secret.isEmpty() && sender == MailSettings.Sender.SMTP) {
            throw new ConfigException("Setting 'unsubscribe.secret' must be set when mail.sender is smtp: it signs"
                    + " the unsubscribe links in the emails (at least " + UnsubscribeSettings.MIN_SECRET_LENGTH
                    + " random characters, e.g. from `openssl rand -base64 32`)");
        }
        if (secret.isPresent() && secret.get().length() < UnsubscribeSettings.MIN_SECRET_LENGTH) {
            throw new ConfigException(
                    "Setting 'unsubscribe.secret' must be at least " + UnsubscribeSettings.MIN_SECRET_LENGTH
                            + " characters, was " + secret.get().length());
        }
        return new UnsubscribeSettings(
                v.optional("unsubscribe.base-url").map(url -> baseUrl(url)),
                v.port("unsubscribe.port"),
                secret,
                v.optional("unsubscribe.bind-address"),
                v.list("unsubscribe.trusted-proxies"),
                v.positiveInt("unsubscribe.rate-limit"),
                v.positiveDuration("unsubscribe.click-window"),
                v.positiveDuration("unsubscribe.header-timeout"),
                v.positiveDuration("unsubscribe.body-timeout"),
                v.positiveDuration("unsubscribe.idle-timeout"),
                v.positiveInt("unsubscribe.max-connections"));
    }

    private static URI baseUrl(String url) {
        try {
            URI uri = new URI(url);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException("Setting 'unsubscribe.base-url' must be an http or https URL without query or"
                + " fragment, such as https://mail.example.com, was '" + url + "'");
    }

    /** Typed reads that name the key in every error. */
    private record Values(Map<String, String> values) {

        String text(String key) {
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                throw new ConfigException("Setting '" + key + "' must not be empty");
            }
            return value.trim();
        }

        Optional<String> optional(String key) {
            String value = values.get(key);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        /** Comma-separated, blanks ignored; empty when unset. */
        List<String> list(String key) {
            return optional(key).stream()
                    .flatMap(value -> Arrays.stream(value.split(",")))
                    .map(String::strip)
                    .filter(item -> !item.isEmpty())
                    .toList();
        }

        Optional<Path> optionalPath(String key) {
            return optional(key).map(Path::of);
        }

        boolean bool(String key) {
            String value = text(key).toLowerCase(Locale.ROOT);
            return switch (value) {
                case "true" -> true;
                case "false" -> false;
                default ->
                    throw new ConfigException(
                            "Setting '" + key + "' must be true or false, was '" + values.get(key) + "'");
            };
        }

        int positiveInt(String key) {
            try {
                int value = Integer.parseInt(text(key));
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigException(
                    "Setting '" + key + "' must be a positive whole number, was '" + values.get(key) + "'");
        }

        /** 0 means any free port. */
        int port(String key) {
            try {
                int port = Integer.parseInt(text(key));
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigException(
                    "Setting '" + key + "' must be a port number (0 for any free port), was '" + values.get(key) + "'");
        }

        int tcpPort(String key) {
            try {
                int port = Integer.parseInt(text(key));
                if (port > 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigException(
                    "Setting '" + key + "' must be a port number from 1 to 65535, was '" + values.get(key) + "'");
        }

        /** One of an enum's constants, by the name {@code setting} gives each (compared ignoring case). */
        <E extends Enum<E>> E choice(String key, Class<E> type, java.util.function.Function<E, String> setting) {
            String value = text(key);
            for (E constant : type.getEnumConstants()) {
                if (setting.apply(constant).equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            throw new ConfigException("Setting '" + key + "' must be one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> setting.apply(c).toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "))
                    + ", was '" + values.get(key) + "'");
        }

        Duration positiveDuration(String key) {
            try {
                Duration value = Duration.parse(text(key));
                if (!value.isNegative() && !value.isZero()) {
                    return value;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw new ConfigException("Setting '" + key + "' must be a positive ISO-8601 duration such as PT12S"
                    + " or P7D, was '" + values.get(key) + "'");
        }

        Set<Role> roles(String key) {
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String name : text(key).split(",")) {
                String trimmed = name.trim();
                if (trimmed.equalsIgnoreCase("all")) {
                    roles.addAll(EnumSet.allOf(Role.class));
                    continue;
                }
                try {
                    roles.add(Role.valueOf(trimmed.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("Setting '" + key + "' has unknown role '" + trimmed + "'; roles are "
                            + Arrays.stream(Role.values())
                                    .map(r -> r.name().toLowerCase(Locale.ROOT))
                                    .collect(Collectors.joining(", "))
                            + " or all");
                }
            }
            return roles;
        }
    }
}
