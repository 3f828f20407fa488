package com.example.subscriptions.config;

/** A setting that is unknown or malformed; the message names the key and where it came from. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
