package com.example.subscriptions.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.Content;

/** Reads a request body without holding a thread while it arrives, up to a size. */
final class BodyReader {

    /** The body went past the route's limit (a chunked body, whose size nobody announced). */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("body too large", null, false, false);
        }
    }

    private final Content.Source source;
    private final int maxBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    private BodyReader(Content.Source source, int maxBytes) {
        this.source = source;
        this.maxBytes = maxBytes;
    }

    static CompletableFuture<byte[]> read(Content.Source source, int maxBytes) {
        BodyReader reader = new BodyReader(source, maxBytes);
        reader.readAvailable();
        return reader.result;
    }

    private void readAvailable() {
        while (!result.isDone()) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this::readAvailable);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                result.completeExceptionally(chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            if (body.size() + bytes.remaining() > maxBytes) {
                chunk.release();
                result.completeExceptionally(new TooLarge());
                return;
            }
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            body.write(copy, 0, copy.length);
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                result.complete(body.toByteArray());
            }
        }
    }
}
