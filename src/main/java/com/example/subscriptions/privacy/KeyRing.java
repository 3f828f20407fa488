package com.example.subscriptions.privacy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys of the payload codec, by id: the primary key encrypts, every key decrypts, so a key can be rotated
 * by adding a new primary and keeping the old one until nothing encrypted with it is left (namespace retention).
 */
public final class KeyRing {

    public static final int KEY_BYTES = 32;
    /** Ids travel in every payload's metadata: short, plain ASCII. */
    public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String primaryId;
    private final Map<String, SecretKey> keys;

    /**
     * @param keys key ids to raw keys, in the order given; the first is the primary
     * @throws IllegalArgumentException for no keys, an id outside {@link #KEY_ID} or a key that is not 32 bytes
     */
    public KeyRing(Map<String, byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a key ring needs at least one key");
        }
        Map<String, SecretKey> ring = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("key id '" + id + "' is not 1-64 of A-Z a-z 0-9 . _ -");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException(
                        "key '" + id + "' is " + key.length + " bytes, AES-256 needs " + KEY_BYTES);
            }
            ring.put(id, new SecretKeySpec(key.clone(), "AES"));
        });
        this.primaryId = ring.keySet().iterator().next();
        this.keys = Collections.unmodifiableMap(ring);
    }

    public String primaryId() {
        return primaryId;
    }

    SecretKey primary() {
        return keys.get(primaryId);
    }

    Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** Ids only: the keys never leave this object in text. */
    @Override
    public String toString() {
        return "KeyRing[primary=" + primaryId + ", ids=" + keys.keySet() + "]";
    }
}
