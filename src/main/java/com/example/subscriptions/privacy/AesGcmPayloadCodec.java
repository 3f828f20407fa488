package com.example.subscriptions.privacy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts whole payloads (metadata and data) with AES-256-GCM, as Temporal's {@code encryptedpayloads} sample does:
 * the encoded payload says only {@code encoding: binary/encrypted} and the key's id; its data is a fresh 12-byte nonce
 * followed by the ciphertext and tag. The key id and encoding are authenticated too, so neither can be swapped.
 *
 * <p>Payloads that are not encrypted pass {@link #decode} unchanged: runs started before privacy mode was turned on
 * stay readable.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {

    public static final String ENCODING = "binary/encrypted";
    public static final String KEY_ID_METADATA = "encryption-key-id";
    static final String ENCODING_METADATA = "encoding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CIPHER = "AES/GCM/NoPadding";

    private final KeyRing keys;
    private final SecureRandom random = new SecureRandom();

    public AesGcmPayloadCodec(KeyRing keys) {
        this.keys = keys;
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        return payloads.stream().map(this::encrypt).toList();
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        return payloads.stream().map(this::decrypt).toList();
    }

    /** Whether {@code payload} is one this codec encrypted (with whichever key). */
    public static boolean isEncrypted(Payload payload) {
        ByteString encoding = payload.getMetadataMap().get(ENCODING_METADATA);
        return encoding != null && encoding.toStringUtf8().equals(ENCODING);
    }

    private Payload encrypt(Payload payload) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String keyId = keys.primaryId();
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.primary(), nonce, keyId);
            byte[] sealed = cipher.doFinal(payload.toByteArray());
            return Payload.newBuilder()
                    .putMetadata(ENCODING_METADATA, ByteString.copyFromUtf8(ENCODING))
                    .putMetadata(KEY_ID_METADATA, ByteString.copyFromUtf8(keyId))
                    .setData(ByteString.copyFrom(ByteBuffer.allocate(nonce.length + sealed.length)
                            .put(nonce)
                            .put(sealed)
                            .array()))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new PayloadCodecException("cannot encrypt a payload with key '" + keyId + "'", e);
        }
    }

    private Payload decrypt(Payload payload) {
        if (!isEncrypted(payload)) {
            return payload;
        }
        ByteString idBytes = payload.getMetadataMap().get(KEY_ID_METADATA);
        if (idBytes == null) {
            throw new PayloadCodecException("an encrypted payload names no key id");
        }
        String keyId = idBytes.toStringUtf8();
        SecretKey key = keys.key(keyId)
                .orElseThrow(() -> new PayloadCodecException("an encrypted payload names key id '"
                        + (KeyRing.KEY_ID.matcher(keyId).matches() ? keyId : "?")
                        + "', which is not in the key ring"));
        byte[] data = payload.getData().toByteArray();
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new PayloadCodecException("an encrypted payload is too short to be one");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(data, NONCE_BYTES), keyId);
            return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
        } catch (AEADBadTagException e) {
            throw new PayloadCodecException("an encrypted payload failed authentication (tampered, or another key)");
        } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
            throw new PayloadCodecException("cannot decrypt a payload with key '" + keyId + "'", e);
        }
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String keyId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(CIPHER);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((ENCODING + "\0" + keyId).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
