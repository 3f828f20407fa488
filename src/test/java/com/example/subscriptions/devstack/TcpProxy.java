package com.example.subscriptions.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP forwarder that a test can cut: clients connect to {@link #address()} and are forwarded to the
 * target, until {@link #cutOff()} drops every live connection and stops forwarding new ones, and {@link #restore()}
 * forwards again. The proxy keeps its port throughout, so clients reconnect to the same address.
 *
 * <p>While cut, a new connection is either reset at once ({@link Cut#REFUSE}: the target's process is gone) or
 * accepted and never answered ({@link Cut#BLACKHOLE}: a network partition; the client waits for its own timeouts).
 * Blackholed connections are reset on {@link #restore()}, so clients reconnect through the working path.
 *
 * <p>All threads are daemons; {@link #close()} stops everything.
 */
public final class TcpProxy implements AutoCloseable {

    /** What a connection attempt meets while the proxy is cut off. */
    public enum Cut {
        /** Accepted and reset at once, as a refused connection looks to the client. */
        REFUSE,
        /** Accepted and then silent: nothing is read, forwarded or answered. */
        BLACKHOLE
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int BUFFER_BYTES = 16 * 1024;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final String name;
    private final Object lock = new Object();
    /** Forwarded connections, both sockets of each. Guarded by {@link #lock}. */
    private final Set<Socket> live = new HashSet<>();
    /** Blackholed client sockets. Guarded by {@link #lock}. */
    private final Set<Socket> held = new HashSet<>();

    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong turnedAway = new AtomicLong();
    private Cut cut;
    private volatile boolean closed;
    /** What went through each forwarded connection, when recording; null otherwise. */
    private final List<Recording> recordings;

    /** The bytes of one forwarded connection, each direction in order. */
    public record Recording(java.io.ByteArrayOutputStream up, java.io.ByteArrayOutputStream down) {
        public byte[] upBytes() {
            synchronized (up) {
                return up.toByteArray();
            }
        }

        public byte[] downBytes() {
            synchronized (down) {
                return down.toByteArray();
            }
        }
    }

    private TcpProxy(String targetHost, int targetPort, ServerSocket listener, boolean record) {
        this.recordings = record ? new java.util.concurrent.CopyOnWriteArrayList<>() : null;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = listener;
        this.name = "tcp-proxy-" + INSTANCES.incrementAndGet();
    }

    /** Listens on a free loopback port and forwards to the target. */
    public static TcpProxy start(String targetHost, int targetPort) {
        return start(targetHost, targetPort, false);
    }

    /** Forwards to "host:port" and keeps every byte each way, per connection: to look for what must not be sent. */
    public static TcpProxy recording(String target) {
        int colon = target.lastIndexOf(':');
        return start(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)), true);
    }

    /** The connections forwarded so far, when recording. */
    public List<Recording> recordings() {
        return List.copyOf(recordings);
    }

    private static TcpProxy start(String targetHost, int targetPort, boolean record) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            TcpProxy proxy = new TcpProxy(targetHost, targetPort, listener, record);
            proxy.daemon(proxy::acceptLoop, proxy.name + "-accept").start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "host:port" of a target such as {@code 127.0.0.1:7233}. */
    public static TcpProxy start(String target) {
        int colon = target.lastIndexOf(':');
        return start(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Drops every live connection; new ones are blackholed until {@link #restore()}. */
    public void cutOff() {
        cutOff(Cut.BLACKHOLE);
    }

    /** Drops every live connection; new ones meet {@code how} until {@link #restore()}. */
    public void cutOff(Cut how) {
        List<Socket> dropped;
        synchronized (lock) {
            cut = how;
            dropped = new ArrayList<>(live);
            live.clear();
        }
        dropped.forEach(TcpProxy::reset);
    }

    /** Forwards new connections again; blackholed ones are reset so that their clients reconnect. */
    public void restore() {
        List<Socket> released;
        synchronized (lock) {
            cut = null;
            released = new ArrayList<>(held);
            held.clear();
        }
        released.forEach(TcpProxy::reset);
    }

    public boolean isCutOff() {
        synchronized (lock) {
            return cut != null;
        }
    }

    /** Connections forwarded to the target since the start. */
    public long forwardedConnections() {
        return forwarded.get();
    }

    /** Connections refused or blackholed while cut off: proof that clients kept trying. */
    public long turnedAwayConnections() {
        return turnedAway.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        List<Socket> all;
        synchronized (lock) {
            all = new ArrayList<>(live);
            all.addAll(held);
            live.clear();
            held.clear();
        }
        all.forEach(TcpProxy::reset);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                handle(client);
            } catch (IOException | RuntimeException e) {
                reset(client);
            }
        }
    }

    private void handle(Socket client) throws IOException {
        client.setTcpNoDelay(true);
        synchronized (lock) {
            if (cut == Cut.BLACKHOLE) {
                turnedAway.incrementAndGet();
                held.add(client);
                return;
            }
            if (cut == Cut.REFUSE) {
                turnedAway.incrementAndGet();
                reset(client);
                return;
            }
        }
        Socket upstream = new Socket();
        try {
            upstream.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            reset(upstream);
            reset(client);
            return;
        }
        synchronized (lock) {
            // A cut that came while connecting upstream applies to this connection too.
            if (cut != null || closed) {
                turnedAway.incrementAndGet();
                reset(upstream);
                reset(client);
                return;
            }
            live.add(client);
            live.add(upstream);
        }
        forwarded.incrementAndGet();
        Recording recording = null;
        if (recordings != null) {
            recording = new Recording(new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream());
            recordings.add(recording);
        }
        java.io.ByteArrayOutputStream up = recording == null ? null : recording.up();
        java.io.ByteArrayOutputStream down = recording == null ? null : recording.down();
        daemon(() -> pump(client, upstream, up), name + "-up").start();
        daemon(() -> pump(upstream, client, down), name + "-down").start();
    }

    /** Copies one direction until either side ends, then closes both; keeps a copy in {@code tape} if given. */
    private void pump(Socket from, Socket to, java.io.ByteArrayOutputStream tape) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (tape != null) {
                    synchronized (tape) {
                        tape.write(buffer, 0, read);
                    }
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // the connection ended: reset by a cut, or by either side
        } finally {
            synchronized (lock) {
                live.remove(from);
                live.remove(to);
            }
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private Thread daemon(Runnable task, String threadName) {
        Thread thread = new Thread(task, threadName);
        thread.setDaemon(true);
        return thread;
    }

    /** Closes with an RST rather than a FIN: the abrupt end a crashed peer or a dropped network gives. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
