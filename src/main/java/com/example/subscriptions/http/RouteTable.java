package com.example.subscriptions.http;

import com.example.subscriptions.core.Futures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of a listener, and everything they have in common (see {@link Route}). Nothing here waits on a thread:
 * bodies are read as they arrive and routes answer with futures, so a slow client or a slow Kafka holds no thread.
 */
final class RouteTable extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);

    private record Entry(Route route, RateLimiter limiter) {}

    private final String listener;
    private final Duration bodyTimeout;
    private final ClientAddresses addresses;
    private final HttpObserver observer;
    private final Executor executor;
    private volatile Map<String, Entry> routes;

    RouteTable(
            String listener,
            Duration bodyTimeout,
            ClientAddresses addresses,
            HttpObserver observer,
            Executor executor) {
        this.listener = listener;
        this.bodyTimeout = bodyTimeout;
        this.addresses = addresses;
        this.observer = observer;
        this.executor = executor;
    }

    void serve(List<Route> table) {
        Map<String, Entry> byPath = new LinkedHashMap<>();
        for (Route route : table) {
            RateLimiter limiter = route.rateLimit().unlimited()
                    ? null
                    : new RateLimiter(route.rateLimit(), RateLimiter.DEFAULT_MAX_CLIENTS);
            if (byPath.put(route.path(), new Entry(route, limiter)) != null) {
                throw new IllegalArgumentException(
                        "Two routes for " + route.path() + " on the " + listener + " listener");
            }
        }
        routes = Map.copyOf(byPath);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Map<String, Entry> table = routes;
        if (table == null) {
            write(
                    request,
                    response,
                    callback,
                    HttpObserver.UNROUTED,
                    Reply.plain(503, "starting", "Service Unavailable").withHeader("Retry-After", "5"),
                    false);
            return true;
        }
        Entry entry = table.get(request.getHttpURI().getPath());
        if (entry == null) {
            write(
                    request,
                    response,
                    callback,
                    HttpObserver.UNROUTED,
                    Reply.plain(404, "not_found", "Not Found"),
                    false);
            return true;
        }
        Route route = entry.route();
        String method = request.getMethod();
        if (!route.methods().contains(method)) {
            write(
                    request,
                    response,
                    callback,
                    route.name(),
                    Reply.plain(405, "method_not_allowed", "Method Not Allowed")
                            .withHeader("Allow", String.join(", ", new TreeSet<>(route.methods()))),
                    false);
            return true;
        }
        String transferEncoding = request.getHeaders().get(HttpHeader.TRANSFER_ENCODING);
        if (transferEncoding != null && !transferEncoding.equals("chunked")) {
            // RFC 9112 lets "Chunked" mean chunked, but a proxy in front may read it otherwise: two readings of one
            // stream is how requests are smuggled, so only the one spelling every client sends is read.
            write(request, response, callback, route.name(), Reply.plain(400, "bad_framing", "Bad Request"), true);
            return true;
        }
        InetAddress client = addresses.clientOf(
                peer(request.getConnectionMetaData().getRemoteSocketAddress()),
                request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        if (entry.limiter() != null) {
            var wait = entry.limiter().acquire(ClientAddresses.rateKey(client), System.nanoTime());
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                write(
                        request,
                        response,
                        callback,
                        route.name(),
                        Reply.plain(429, "rate_limited", "Too Many Requests")
                                .withHeader("Retry-After", Long.toString(seconds)),
                        false);
                return true;
            }
        }
        long length = request.getLength();
        boolean hasBody = length > 0 || transferEncoding != null;
        if (hasBody && (route.maxBodyBytes() == 0 || length > route.maxBodyBytes())) {
            write(request, response, callback, route.name(), tooLarge(), true);
            return true;
        }
        CompletableFuture<byte[]> body = hasBody
                ? BodyReader.read(request, route.maxBodyBytes())
                        .orTimeout(bodyTimeout.toMillis(), TimeUnit.MILLISECONDS)
                : CompletableFuture.completedFuture(new byte[0]);
        body.thenCompose(bytes -> route.handler()
                        .handle(new RouteRequest(
                                method, request.getHttpURI().getQuery(), headers(request.getHeaders()), bytes, client)))
                .whenCompleteAsync(
                        (reply, error) -> {
                            if (error == null) {
                                write(request, response, callback, route.name(), reply, false);
                            } else {
                                failed(request, response, callback, route, Futures.cause(error));
                            }
                        },
                        executor);
        return true;
    }

    private void failed(Request request, Response response, Callback callback, Route route, Throwable error) {
        if (error instanceof BodyReader.TooLarge) {
            write(request, response, callback, route.name(), tooLarge(), true);
        } else if (error instanceof TimeoutException) {
            observer.timedOut(HttpObserver.Timeout.BODY);
            write(request, response, callback, route.name(), Reply.plain(408, "body_timeout", "Request Timeout"), true);
        } else if (error instanceof java.io.IOException || error instanceof org.eclipse.jetty.io.EofException) {
            // The client went away, or its connection failed mid-body: nobody to answer.
            callback.failed(error);
        } else {
            log.warn("The {} route of the {} listener failed: {}", route.name(), listener, error.toString());
            write(request, response, callback, route.name(), Reply.plain(500, "error", "Internal Server Error"), false);
        }
    }

    private void write(
            Request request, Response response, Callback callback, String route, Reply reply, boolean close) {
        response.setStatus(reply.status());
        HttpFields.Mutable headers = response.getHeaders();
        reply.headers().forEach(headers::put);
        headers.put(HttpHeader.CONTENT_TYPE, reply.contentType());
        headers.put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        if (close) {
            // The rest of this connection's bytes cannot be trusted to start a request.
            headers.put(HttpHeader.CONNECTION, "close");
        }
        observer.answered(route, reply.status(), reply.outcome());
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(reply.body()), callback);
    }

    private static Reply tooLarge() {
        return Reply.plain(413, "too_large", "Content Too Large");
    }

    private static Map<String, List<String>> headers(HttpFields fields) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : fields) {
            headers.computeIfAbsent(field.getLowerCaseName(), name -> new ArrayList<>(1))
                    .add(field.getValue());
        }
        return headers;
    }

    private static InetAddress peer(SocketAddress address) {
        if (address instanceof InetSocketAddress socket && socket.getAddress() != null) {
            return socket.getAddress();
        }
        throw new IllegalStateException("A connection without an IP peer: " + address);
    }

    @Override
    public String toString() {
        return "routes of " + listener.toLowerCase(Locale.ROOT);
    }
}
