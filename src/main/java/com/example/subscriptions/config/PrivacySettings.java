package com.example.subscriptions.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Privacy mode: payloads to Temporal encrypted with AES-256-GCM, workflow ids a keyed hash of the address. Off by
 * default, which keeps the tutorial's wire format (the email as workflow id, readable payloads).
 *
 * @param enabled whether the mode is on
 * @param payloadKeys key id to 32-byte AES key, in the order given: the first encrypts, all decrypt (empty when off)
 * @param idKey the HMAC-SHA256 key of workflow ids (empty when off)
 */
public record PrivacySettings(boolean enabled, Map<String, byte[]> payloadKeys, Optional<byte[]> idKey) {

    public static final int PAYLOAD_KEY_BYTES = 32;
    public static final int MIN_ID_KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

    public static PrivacySettings off() {
        return new PrivacySettings(false, Map.of(), Optional.empty());
    }

    static PrivacySettings read(Values v) {
        if (!v.bool("privacy.enabled")) {
            return off();
        }
        Optional<String> inline = v.optional("privacy.keys");
        Optional<Path> file = v.optionalPath("privacy.keys-file");
        if (inline.isPresent() == file.isPresent()) {
            throw new ConfigException("With privacy.enabled=true exactly one of 'privacy.keys' and 'privacy.keys-file'"
                    + " must be set: id:base64-key pairs, the first encrypts (e.g. k1:$(openssl rand -base64 32))");
        }
        String keysText = inline.isPresent() ? inline.get() : read(file.get());
        String keysSetting = inline.isPresent() ? "privacy.keys" : "privacy.keys-file";
        byte[] idKey = decode(
                        "privacy.id-key",
                        v.optional("privacy.id-key")
                                .orElseThrow(() -> new ConfigException(
                                        "With privacy.enabled=true setting 'privacy.id-key' must be set: a base64"
                                                + " key of at least " + MIN_ID_KEY_BYTES + " bytes for workflow ids"
                                                + " (e.g. $(openssl rand -base64 32))")))
                .orElseThrow(() -> new ConfigException("Setting 'privacy.id-key' is not valid base64"));
        if (idKey.length < MIN_ID_KEY_BYTES) {
            throw new ConfigException("Setting 'privacy.id-key' must decode to at least " + MIN_ID_KEY_BYTES
                    + " bytes, was " + idKey.length);
        }
        return new PrivacySettings(true, payloadKeys(keysSetting, keysText), Optional.of(idKey));
    }

    private static Map<String, byte[]> payloadKeys(String setting, String text) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String pair : SEPARATORS.split(text.strip())) {
            if (pair.isEmpty()) {
                continue;
            }
            int colon = pair.indexOf(':');
            String id = colon < 0 ? "" : pair.substring(0, colon);
            if (!KEY_ID.matcher(id).matches()) {
                throw new ConfigException("Setting '" + setting + "' holds an entry without a valid key id (1-64 of"
                        + " A-Z a-z 0-9 . _ -, then ':' and the base64 key)");
            }
            byte[] key = decode(setting, pair.substring(colon + 1))
                    .orElseThrow(() ->
                            new ConfigException("Setting '" + setting + "': key '" + id + "' is not valid base64"));
            if (key.length != PAYLOAD_KEY_BYTES) {
                throw new ConfigException("Setting '" + setting + "': key '" + id + "' is " + key.length
                        + " bytes, AES-256 needs " + PAYLOAD_KEY_BYTES);
            }
            if (keys.put(id, key) != null) {
                throw new ConfigException("Setting '" + setting + "' names key id '" + id + "' twice");
            }
        }
        if (keys.isEmpty()) {
            throw new ConfigException("Setting '" + setting + "' holds no key");
        }
        return Collections.unmodifiableMap(keys);
    }

    private static Optional<byte[]> decode(String setting, String base64) {
        try {
            return Optional.of(Base64.getDecoder().decode(base64.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("Setting 'privacy.keys-file': cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Key ids only: key material is never logged. */
    @Override
    public String toString() {
        return "PrivacySettings[enabled=" + enabled + ", payloadKeyIds=" + payloadKeys.keySet() + ", idKey="
                + idKey.map(k -> "[hidden]").orElse("none") + "]";
    }
}
