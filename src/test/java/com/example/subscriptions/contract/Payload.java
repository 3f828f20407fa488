package com.example.subscriptions.contract;

/** The payloads of the Kafka contract, each with its JSON Schema as the jar ships it (src/main/resources/contract). */
public enum Payload {
    COMMAND("command"),
    EVENT("event"),
    DETAILS_REQUEST("details-request"),
    DETAILS_REPLY("details-reply"),
    SUPPRESSION("suppression");

    /** The base of every schema's {@code $id}; the file name follows it. */
    public static final String ID_BASE = "https://example.com/subscriptions/contract/";
    /** Where the schemas sit on the classpath (and in the jar). */
    public static final String RESOURCE_FOLDER = "contract/";

    private final String name;

    Payload(String name) {
        this.name = name;
    }

    public String fileName() {
        return name + ".schema.json";
    }

    public String id() {
        return ID_BASE + fileName();
    }

    public String resource() {
        return RESOURCE_FOLDER + fileName();
    }
}
