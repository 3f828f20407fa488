package com.example.subscriptions.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {

    private static final String ADDRESS = "bob@example.com";

    static byte[] key(int fill) {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    static KeyRing ring(Object... idsAndFills) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < idsAndFills.length; i += 2) {
            keys.put((String) idsAndFills[i], key((Integer) idsAndFills[i + 1]));
        }
        return new KeyRing(keys);
    }

    private static Payload plain(String text) {
        return DefaultDataConverter.STANDARD_INSTANCE.toPayload(text).orElseThrow();
    }

    @Test
    void roundTripsAndTheEncodedPayloadShowsOnlyTheEncodingAndKeyId() {
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(ring("k1", 1));
        Payload encoded = codec.encode(List.of(plain(ADDRESS))).get(0);

        assertEquals(Map.of("encoding", "binary/encrypted", "encryption-key-id", "k1"), text(encoded.getMetadataMap()));
        assertFalse(encoded.getData().toStringUtf8().contains(ADDRESS));
        assertEquals(plain(ADDRESS), codec.decode(List.of(encoded)).get(0));
    }

    @Test
    void everyPayloadGetsAFreshNonce() {
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(ring("k1", 1));
        Payload first = codec.encode(List.of(plain(ADDRESS))).get(0);
        Payload second = codec.encode(List.of(plain(ADDRESS))).get(0);
        assertNotEquals(first.getData().substring(0, 12), second.getData().substring(0, 12));
        assertNotEquals(first.getData(), second.getData());
    }

    @Test
    void refusesATamperedCiphertext() {
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(ring("k1", 1));
        Payload encoded = codec.encode(List.of(plain(ADDRESS))).get(0);
        byte[] data = encoded.getData().toByteArray();
        data[data.length - 20] ^= 1;
        Payload tampered =
                encoded.toBuilder().setData(ByteString.copyFrom(data)).build();

        PayloadCodecException refused =
                assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(tampered)));
        assertTrue(refused.getMessage().contains("failed authentication"), refused.getMessage());
    }

    @Test
    void refusesAPayloadWhoseKeyIdWasSwapped() {
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(ring("k2", 2, "k1", 1));
        Payload encoded = codec.encode(List.of(plain(ADDRESS))).get(0);
        Payload relabelled = encoded.toBuilder()
                .putMetadata(AesGcmPayloadCodec.KEY_ID_METADATA, ByteString.copyFromUtf8("k1"))
                .build();
        assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(relabelled)));
    }

    @Test
    void refusesAnUnknownKeyId() {
        Payload encoded = new AesGcmPayloadCodec(ring("old", 1))
                .encode(List.of(plain(ADDRESS)))
                .get(0);
        AesGcmPayloadCodec other = new AesGcmPayloadCodec(ring("new", 2));

        PayloadCodecException refused = assertThrows(PayloadCodecException.class, () -> other.decode(List.of(encoded)));
        assertTrue(refused.getMessage().contains("'old', which is not in the key ring"), refused.getMessage());
    }

    @Test
    void rotationKeepsOldPayloadsReadableAndEncryptsWithTheNewPrimary() {
        Payload underOld = new AesGcmPayloadCodec(ring("2026-01", 1))
                .encode(List.of(plain(ADDRESS)))
                .get(0);
        AesGcmPayloadCodec rotated = new AesGcmPayloadCodec(ring("2026-12", 2, "2026-01", 1));

        assertEquals(plain(ADDRESS), rotated.decode(List.of(underOld)).get(0));
        Payload underNew = rotated.encode(List.of(plain(ADDRESS))).get(0);
        assertEquals(
                "2026-12",
                underNew.getMetadataMap()
                        .get(AesGcmPayloadCodec.KEY_ID_METADATA)
                        .toStringUtf8());
    }

    @Test
    void passesPayloadsThatWereNeverEncrypted() {
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(ring("k1", 1));
        assertEquals(plain(ADDRESS), codec.decode(List.of(plain(ADDRESS))).get(0));
    }

    @Test
    void theDataConverterEncryptsValuesAndFailureMessagesAndStackTraces() {
        DataConverter converter = PrivateDataConverter.of(ring("k1", 1));
        Payload value = converter.toPayload(Map.of("startedBy", ADDRESS)).orElseThrow();
        assertTrue(AesGcmPayloadCodec.isEncrypted(value));
        assertEquals(
                ADDRESS,
                converter.fromPayloads(
                        0,
                        Optional.of(io.temporal.api.common.v1.Payloads.newBuilder()
                                .addPayloads(converter.toPayload(ADDRESS).orElseThrow())
                                .build()),
                        String.class,
                        String.class));

        Failure failure = converter.exceptionToFailure(
                ApplicationFailure.newNonRetryableFailure("550 5.1.1 <" + ADDRESS + ">: no such user", "Rejected"));
        String wire = new String(failure.toByteArray(), StandardCharsets.ISO_8859_1);
        assertFalse(wire.contains(ADDRESS), wire);
        assertTrue(failure.hasEncodedAttributes());
        assertTrue(converter.failureToException(failure).getMessage().contains(ADDRESS));
    }

    @Test
    void keyRingChecksItsKeysAndNeverPrintsThem() {
        assertThrows(IllegalArgumentException.class, () -> new KeyRing(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new KeyRing(Map.of("k1", new byte[16])));
        assertThrows(IllegalArgumentException.class, () -> new KeyRing(Map.of("k 1", key(1))));
        assertEquals("KeyRing[primary=a, ids=[a, b]]", ring("a", 1, "b", 2).toString());
    }

    private static Map<String, String> text(Map<String, ByteString> metadata) {
        Map<String, String> text = new LinkedHashMap<>();
        metadata.forEach((k, v) -> text.put(k, v.toStringUtf8()));
        return text;
    }
}
