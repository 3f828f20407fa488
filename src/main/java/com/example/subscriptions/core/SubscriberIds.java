package com.example.subscriptions.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The workflow id of a subscriber: the one key of its runs, its details and its suppression, derived here and nowhere
 * else. Plain, it is the normalised email, as the tutorial has it. Pseudonymous (privacy mode), it is {@code sub-} and
 * the hex HMAC-SHA256 of the normalised email under a key of the operator's: the id says nothing of the address, and
 * every process with the key derives the same id in constant time.
 */
public final class SubscriberIds {

    public static final String PSEUDONYM_PREFIX = "sub-";
    private static final String HMAC = "HmacSHA256";

    private final Optional<Mac> prototype;

    private SubscriberIds(Optional<Mac> prototype) {
        this.prototype = prototype;
    }

    /** The email itself: the tutorial's wire format. */
    public static SubscriberIds plain() {
        return new SubscriberIds(Optional.empty());
    }

    /** {@code sub-} and the HMAC-SHA256 of the normalised email under {@code key}. */
    public static SubscriberIds keyed(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return new SubscriberIds(Optional.of(mac));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    public String workflowId(EmailAddress email) {
        if (prototype.isEmpty()) {
            return email.value();
        }
        Mac mac;
        try {
            mac = (Mac) prototype.get().clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HMAC cannot be cloned", e);
        }
        return PSEUDONYM_PREFIX
                + HexFormat.of().formatHex(mac.doFinal(email.value().getBytes(StandardCharsets.UTF_8)));
    }

    public boolean pseudonymous() {
        return prototype.isPresent();
    }

    @Override
    public String toString() {
        return pseudonymous() ? "SubscriberIds[keyed]" : "SubscriberIds[plain]";
    }
}
