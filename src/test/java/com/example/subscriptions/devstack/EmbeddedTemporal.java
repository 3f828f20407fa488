package com.example.subscriptions.devstack;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A real Temporal endpoint without Docker: the SDK's in-memory service serving gRPC on a port, in real time (time
 * skipping locked). It implements no list or count visibility APIs: look workflows up by id.
 */
public final class EmbeddedTemporal implements AutoCloseable {

    private final TestServer.PortBoundTestServer server;
    private final int port;

    private EmbeddedTemporal(TestServer.PortBoundTestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** @param port 0 picks a free port */
    public static EmbeddedTemporal start(int port) {
        int chosen = port == 0 ? freePort() : port;
        return new EmbeddedTemporal(TestServer.createPortBoundServer(chosen, true), chosen);
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
