package com.example.subscriptions.webhooks;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Fetches with the JDK's client: no redirects (a redirect could lead off SNS's hosts), a short timeout for the whole
 * exchange, and a cap on the body, so a slow or huge answer costs little.
 */
public final class HttpUrlFetcher implements UrlFetcher {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** An SNS signing certificate is about 2 KiB; a confirmation's answer less. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private final Duration timeout;
    private final int maxBytes;
    private HttpClient client;

    public HttpUrlFetcher(Duration timeout, int maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /** Made on first use: a client has a thread of its own, and most services never fetch. */
    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return client;
    }

    public static HttpUrlFetcher withDefaults() {
        return new HttpUrlFetcher(DEFAULT_TIMEOUT, DEFAULT_MAX_BYTES);
    }

    @Override
    public CompletableFuture<byte[]> get(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        return client().sendAsync(
                        request,
                        info -> info.statusCode() == 200
                                ? new Capped(maxBytes)
                                : HttpResponse.BodySubscribers.replacing(null))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(response -> {
                    if (response.statusCode() != 200 || response.body() == null) {
                        throw new Refused(url.getHost() + " answered " + response.statusCode());
                    }
                    return response.body();
                });
    }

    /** Collects a body up to a size; past it, cancels the exchange. */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {

        private final int maxBytes;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Capped(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.size() + buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(new Refused("body over " + maxBytes + " bytes"));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                body.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }
    }
}
