package com.example.subscriptions.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SMTP server that knows nobody: it speaks enough of the protocol for a client to reach {@code RCPT TO}, and
 * answers it with a permanent 550, as a provider does for an address that does not exist. GreenMail accepts every
 * recipient and offers no hook to refuse one.
 */
public final class RefusingSmtpServer implements AutoCloseable {

    public static final String REFUSAL = "550 5.1.1 Recipient address rejected: User unknown in local recipient table";

    private final ServerSocket socket;
    private final Thread acceptor;
    private final AtomicInteger recipientsRefused = new AtomicInteger();

    public RefusingSmtpServer() {
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::acceptAll, "refusing-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** How many {@code RCPT TO} commands were refused: one per attempt to deliver. */
    public int recipientsRefused() {
        return recipientsRefused.get();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                converse(client);
            } catch (IOException e) {
                // A client that hung up, or the server closing: wait for the next one, or stop.
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = client.getOutputStream();
        reply(out, "220 refusing.test ESMTP");
        for (String line; (line = in.readLine()) != null; ) {
            String command = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
            switch (command) {
                case "EHLO", "HELO" -> reply(out, "250 refusing.test");
                case "MAIL", "RSET", "NOOP" -> reply(out, "250 2.0.0 Ok");
                case "RCPT" -> {
                    recipientsRefused.incrementAndGet();
                    reply(out, REFUSAL);
                }
                case "DATA" -> reply(out, "554 5.5.1 No valid recipients");
                case "QUIT" -> {
                    reply(out, "221 2.0.0 Bye");
                    return;
                }
                default -> reply(out, "502 5.5.2 Command not recognized");
            }
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
