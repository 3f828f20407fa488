package com.example.subscriptions.http;

import java.io.UncheckedIOException;
import java.util.List;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * An HTTP/1.1 listener fit for the internet, serving a table of {@link Route}s: strict parsing (a malformed request
 * is a 400 and the connection ends), bounded heads, the timeouts and connection limit of its {@link ListenerLimits},
 * and threads, scheduler and limits of its own, so that a listener under attack cannot take what another needs.
 */
public final class HttpListener implements AutoCloseable {

    private final ListenerLimits limits;
    private final Server server;
    private final ServerConnector connector;
    private final QueuedThreadPool threads;
    private final ConnectionGuard guard;
    private final RouteTable routes;

    private HttpListener(
            ListenerLimits limits,
            Server server,
            ServerConnector connector,
            QueuedThreadPool threads,
            ConnectionGuard guard,
            RouteTable routes) {
        this.limits = limits;
        this.server = server;
        this.connector = connector;
        this.threads = threads;
        this.guard = guard;
        this.routes = routes;
    }

    /**
     * Listens at once (so that its port is known), answering 503 until {@link #serve} gives it its routes.
     *
     * @throws UncheckedIOException when it cannot listen there
     */
    public static HttpListener bind(ListenerLimits limits, ClientAddresses addresses, HttpObserver observer) {
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 2);
        threads.setName(limits.name() + "-http");
        threads.setDaemon(true);
        // No threads parked for the selector's own use: requests here are short, and each thread costs memory.
        threads.setReservedThreads(0);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler(limits.name() + "-http-timer", true);
        Server server = new Server(threads, scheduler, null);
        // No graceful wait for open connections (a Prometheus keep-alive would hold it seconds): the service's stop
        // must reach its consumers' drain at once.
        server.setStopTimeout(0);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        // Strict: no bare-LF line ends, one Content-Length, never with Transfer-Encoding, nothing but digits in it.
        http.setHttpCompliance(HttpCompliance.STRICT);
        http.setUriCompliance(UriCompliance.DEFAULT);
        // Jetty's cache of common header lines would otherwise hand a route "chunked" for "Chunked" (see RouteTable).
        http.setHeaderCacheCaseSensitive(true);

        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(limits.bindAddress().orElse(null));
        connector.setPort(limits.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        ConnectionGuard guard =
                new ConnectionGuard(limits.maxConnections(), limits.headerTimeout(), scheduler, observer);
        connector.addBean(guard);
        server.addConnector(connector);

        server.setErrorHandler(new PlainErrorHandler(observer));
        RouteTable routes = new RouteTable(limits.name(), limits.bodyTimeout(), addresses, observer, threads);
        server.setHandler(new Guarded(guard, routes));
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // what failed is reported below
            }
            throw new UncheckedIOException(
                    "Cannot listen on " + limits.bindAddress().orElse("every interface") + " port " + limits.port(),
                    e instanceof java.io.IOException io ? io : new java.io.IOException(e));
        }
        return new HttpListener(limits, server, connector, threads, guard, routes);
    }

    /** Starts answering these routes; every other path is a 404. */
    public HttpListener serve(List<Route> table) {
        routes.serve(table);
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String name() {
        return limits.name();
    }

    /** It can take a connection and has a thread to answer it: what readiness asks of a listener. */
    public boolean accepting() {
        return server.isStarted() && connector.isOpen() && !guard.atLimit() && !threads.isLowOnThreads();
    }

    public int openConnections() {
        return guard.openConnections();
    }

    /** Stops at once: a request cut short gets no answer and its client asks again. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Stopping the " + limits.name() + " listener failed", e);
        }
    }

    /** Tells the guard when a request's head is in and when its answer is out, and dresses every answer. */
    private static final class Guarded extends Handler.Wrapper {

        private final ConnectionGuard guard;

        Guarded(ConnectionGuard guard, Handler routes) {
            super(routes);
            this.guard = guard;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Connection connection = request.getConnectionMetaData().getConnection();
            guard.requestStarted(connection);
            Request.addCompletionListener(request, failure -> guard.requestEnded(connection));
            SecurityHeaders.apply(response.getHeaders());
            return super.handle(request, response, callback);
        }
    }
}
