package com.example.subscriptions.privacy;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One direction of a recorded gRPC connection (HTTP/2 in clear), read back as what it carried: the headers of every
 * stream, HPACK-decoded (a Huffman-coded value would not show in the raw bytes), and every stream's DATA joined (a
 * message split over frames would not show whole either). The raw bytes are kept as well.
 */
final class Http2Tape {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int CONTINUATION = 9;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;

    private final List<String> headers = new ArrayList<>();
    private final Map<Integer, ByteArrayOutputStream> data = new LinkedHashMap<>();
    private final byte[] raw;

    private Http2Tape(byte[] raw) {
        this.raw = raw;
    }

    /** Reads one direction of a connection; a frame cut short at the end of the recording is left out. */
    static Http2Tape read(byte[] bytes) {
        Http2Tape tape = new Http2Tape(bytes);
        int at = startsWithPreface(bytes) ? PREFACE.length : 0;
        DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        while (at + 9 <= bytes.length) {
            int length = ((bytes[at] & 0xff) << 16) | ((bytes[at + 1] & 0xff) << 8) | (bytes[at + 2] & 0xff);
            int type = bytes[at + 3] & 0xff;
            int flags = bytes[at + 4] & 0xff;
            int stream = ((bytes[at + 5] & 0x7f) << 24)
                    | ((bytes[at + 6] & 0xff) << 16)
                    | ((bytes[at + 7] & 0xff) << 8)
                    | (bytes[at + 8] & 0xff);
            int start = at + 9;
            int end = start + length;
            if (end > bytes.length) {
                break;
            }
            int from = start;
            int to = end;
            if ((type == DATA || type == HEADERS) && (flags & PADDED) != 0) {
                to -= bytes[from] & 0xff;
                from++;
            }
            if (type == HEADERS && (flags & PRIORITY) != 0) {
                from += 5;
            }
            if (type == DATA) {
                tape.data
                        .computeIfAbsent(stream, s -> new ByteArrayOutputStream())
                        .write(bytes, from, to - from);
            } else if (type == HEADERS || type == CONTINUATION) {
                block.write(bytes, from, to - from);
                if ((flags & 0x4) != 0) { // END_HEADERS
                    tape.headers.add(decode(decoder, stream, block.toByteArray()));
                    block.reset();
                }
            }
            at = end;
        }
        return tape;
    }

    private static String decode(DefaultHttp2HeadersDecoder decoder, int stream, byte[] block) {
        try {
            Http2Headers decoded = decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(block));
            StringBuilder text = new StringBuilder();
            decoded.forEach(header -> text.append(header.getKey())
                    .append(": ")
                    .append(header.getValue())
                    .append('\n'));
            return text.toString();
        } catch (Http2Exception e) {
            throw new AssertionError("cannot decode the HPACK block of stream " + stream + ": " + e, e);
        }
    }

    private static boolean startsWithPreface(byte[] bytes) {
        if (bytes.length < PREFACE.length) {
            return false;
        }
        for (int i = 0; i < PREFACE.length; i++) {
            if (bytes[i] != PREFACE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The decoded headers of every stream, one "name: value" a line. */
    List<String> headers() {
        return headers;
    }

    /** Every stream's DATA, joined per stream: its gRPC messages (5-byte prefix, then the protobuf). */
    List<byte[]> messages() {
        return data.values().stream().map(ByteArrayOutputStream::toByteArray).toList();
    }

    byte[] raw() {
        return raw;
    }
}
