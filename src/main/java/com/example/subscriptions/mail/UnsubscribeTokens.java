package com.example.subscriptions.mail;

import com.example.subscriptions.core.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks the token of an unsubscribe link: {@code v1.<base64url(email)>.<base64url(mac)>}, the MAC being
 * HMAC-SHA256 under the configured secret of everything before the last dot. The token names the subscriber, and
 * only the holder of the secret can make one, so nobody unsubscribes someone else by editing a link. The version
 * lets a later format (an expiry, say) be told apart; a token of any other version is refused.
 *
 * <p>A confirm link's token (double opt-in) is {@code c1.<base64url(email)>.<base64url(mac)>}: its prefix names its
 * {@link Purpose} and is part of what the MAC signs, so a token of one purpose never verifies for the other (editing
 * the prefix breaks the MAC), while unsubscribe tokens keep their format and every one issued still verifies.
 */
public final class UnsubscribeTokens {

    static final String VERSION = "v1";
    static final String CONFIRM_VERSION = "c1";

    /** What a token may be used for; each has its own prefix, signed with the rest. */
    public enum Purpose {
        UNSUBSCRIBE(VERSION),
        CONFIRM(CONFIRM_VERSION);

        private final String prefix;

        Purpose(String prefix) {
            this.prefix = prefix;
        }
    }

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    private UnsubscribeTokens(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    public static UnsubscribeTokens withSecret(String secret) {
        return new UnsubscribeTokens(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A key of this process only: its links stop working when the process restarts. */
    public static UnsubscribeTokens withRandomSecret() {
        byte[] key = new byte[MAC_BYTES];
        new SecureRandom().nextBytes(key);
        return new UnsubscribeTokens(key);
    }

    /** An unsubscribe token. @param email a normalised address (a workflow id) */
    public String issue(String email) {
        return issue(Purpose.UNSUBSCRIBE, email);
    }

    /** @param email a normalised address (a workflow id) */
    public String issue(Purpose purpose, String email) {
        String signed = purpose.prefix + "." + ENCODER.encodeToString(email.getBytes(StandardCharsets.UTF_8));
        return signed + "." + ENCODER.encodeToString(mac(signed));
    }

    /** Verifies an unsubscribe token. */
    public Verification verify(String token) {
        return verify(Purpose.UNSUBSCRIBE, token);
    }

    public Verification verify(Purpose purpose, String token) {
        if (token == null || token.isEmpty()) {
            return new Verification.Refused(Verification.Problem.MALFORMED);
        }
        String[] parts = token.split("\\.", -1);
        for (Purpose other : Purpose.values()) {
            if (other != purpose && parts[0].equals(other.prefix)) {
                return new Verification.Refused(Verification.Problem.WRONG_PURPOSE);
            }
        }
        if (parts[0].matches("[vc][0-9]+") && !parts[0].equals(purpose.prefix)) {
            return new Verification.Refused(Verification.Problem.UNKNOWN_VERSION);
        }
        if (parts.length != 3 || !parts[0].equals(purpose.prefix)) {
            return new Verification.Refused(Verification.Problem.MALFORMED);
        }
        Optional<byte[]> email = decode(parts[1]);
        Optional<byte[]> mac = decode(parts[2]);
        if (email.isEmpty() || mac.isEmpty() || mac.get().length != MAC_BYTES) {
            return new Verification.Refused(Verification.Problem.MALFORMED);
        }
        if (!MessageDigest.isEqual(mac(parts[0] + "." + parts[1]), mac.get())) {
            return new Verification.Refused(Verification.Problem.BAD_SIGNATURE);
        }
        // Signed by us, so it was a valid address when issued; parsing only turns it back into one.
        return EmailAddress.parse(new String(email.get(), StandardCharsets.UTF_8))
                        instanceof EmailAddress.Parsed.Valid v
                ? new Verification.Valid(v.email())
                : new Verification.Refused(Verification.Problem.MALFORMED);
    }

    /** What a token says: the subscriber it names, or why it is refused. */
    public sealed interface Verification {

        record Valid(EmailAddress email) implements Verification {}

        record Refused(Problem problem) implements Verification {}

        enum Problem {
            /** Not three parts, not base64url, or a MAC of the wrong length (a truncated link). */
            MALFORMED,
            /** A format this service does not issue. */
            UNKNOWN_VERSION,
            /** Well formed, but not signed with our secret (a forged or edited link). */
            BAD_SIGNATURE,
            /** A token of ours for another purpose: a confirm token offered to unsubscribe, or the reverse. */
            WRONG_PURPOSE
        }
    }

    private byte[] mac(String signed) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static Optional<byte[]> decode(String base64url) {
        if (base64url.isEmpty() || base64url.contains("=")) {
            return Optional.empty();
        }
        try {
            return Optional.of(DECODER.decode(base64url));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
