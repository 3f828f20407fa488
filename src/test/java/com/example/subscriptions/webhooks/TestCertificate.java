package com.example.subscriptions.webhooks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A self-signed X.509 certificate and its RSA key, made with the JDK alone (no keytool, no BouncyCastle on the
 * classpath): the DER of a version 1 certificate is short enough to write by hand.
 */
public final class TestCertificate {

    private static final byte[] SHA256_WITH_RSA = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0b
    };
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final PrivateKey key;
    private final String pem;

    private TestCertificate(PrivateKey key, String pem) {
        this.key = key;
        this.pem = pem;
    }

    /** Valid from an hour ago until {@code notAfter}. */
    public static TestCertificate create(String commonName, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            byte[] algorithm = der(0x30, concat(SHA256_WITH_RSA, new byte[] {0x05, 0x00}));
            byte[] name = der(
                    0x30,
                    der(0x31, der(0x30, concat(COMMON_NAME, der(0x0c, commonName.getBytes(StandardCharsets.UTF_8))))));
            byte[] validity =
                    der(0x30, concat(der(0x17, time(Instant.now().minusSeconds(3600))), der(0x17, time(notAfter))));
            byte[] tbs = der(
                    0x30,
                    concat(
                            der(0x02, new byte[] {0x01}),
                            algorithm,
                            name,
                            validity,
                            name,
                            pair.getPublic().getEncoded()));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(pair.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] certificate = der(0x30, concat(tbs, algorithm, der(0x03, concat(new byte[] {0x00}, signature))));
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate)
                    + "\n-----END CERTIFICATE-----\n";
            return new TestCertificate(pair.getPrivate(), pem);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestCertificate create() {
        return create("sns.amazonaws.com", Instant.now().plusSeconds(86_400));
    }

    public byte[] pem() {
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    /** The base64 signature of {@code text} under {@code algorithm} (SHA1withRSA, SHA256withRSA). */
    public String sign(String algorithm, String text) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] time(Instant instant) {
        return UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
