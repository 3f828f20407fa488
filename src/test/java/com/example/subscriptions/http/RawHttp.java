package com.example.subscriptions.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A TCP connection that sends exactly the bytes a test writes, as an attacker or a broken client would. */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    public static RawHttp connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setTcpNoDelay(true);
        return new RawHttp(socket);
    }

    public RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Everything the server sends until it closes the connection, waiting at most {@code within}. */
    public String readUntilClosed(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + within.toNanos();
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still open after " + within + "; received: " + received);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + within + "; received: " + received);
        } catch (IOException reset) {
            // A reset is a close too.
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** One response's head and body of {@code Content-Length}, leaving the connection open. */
    public String readResponse(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed before a whole response head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    public boolean isClosedByServer(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    public static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
