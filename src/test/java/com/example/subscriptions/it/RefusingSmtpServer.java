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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SMTP server that refuses every email, where a test says: at {@code RCPT TO}, as a provider does for an
 * address that does not exist, or after the message's final dot, as servers that check recipients or content late
 * do. GreenMail accepts every recipient and message and offers no hook to refuse one.
 */
public final class RefusingSmtpServer implements AutoCloseable {

    public static final String REFUSAL = "550 5.1.1 Recipient address rejected: User unknown in local recipient table";

    /** Where the refusal comes. */
    public enum Phase {
        RCPT_TO,
        /** After the message: the reply to its final dot. */
        END_OF_DATA
    }

    private final Phase phase;
    private final String refusal;
    private final ServerSocket socket;
    private final Thread acceptor;
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> refusedMessageIds = new CopyOnWriteArrayList<>();
    /** Refusals left before it accepts (a throttling relay that recovers); negative: refuses for ever. */
    private final AtomicInteger refusalsLeft;

    private final List<Long> acceptedAtNanos = new CopyOnWriteArrayList<>();

    /** Refuses every recipient with {@link #REFUSAL}. */
    public RefusingSmtpServer() {
        this(Phase.RCPT_TO, REFUSAL);
    }

    /** @param refusal the reply, e.g. {@code 550 5.1.1 <bob@example.com>: mailbox unavailable} */
    public RefusingSmtpServer(Phase phase, String refusal) {
        this(phase, refusal, -1);
    }

    /** Refuses the first {@code refusals} emails with {@code refusal}, then accepts every one (as a relay recovering). */
    public RefusingSmtpServer(Phase phase, String refusal, int refusals) {
        this.refusalsLeft = new AtomicInteger(refusals);
        this.phase = phase;
        this.refusal = refusal;
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

    /** How many emails were refused: one per attempt to deliver. */
    public int refused() {
        return refused.get();
    }

    /** The Message-ID of each message refused after its end, in order: one per attempt. */
    public List<String> refusedMessageIds() {
        return List.copyOf(refusedMessageIds);
    }

    /** When each accepted email's final dot was answered ({@link System#nanoTime()}), in order. */
    public List<Long> acceptedAtNanos() {
        return List.copyOf(acceptedAtNanos);
    }

    /** Whether this attempt is refused; an accepting server's attempts run out of refusals. */
    private boolean refuses() {
        return refusalsLeft.getAndUpdate(left -> left > 0 ? left - 1 : left) != 0;
    }

    /** How many {@code RCPT TO} commands were refused (with {@link Phase#RCPT_TO}). */
    public int recipientsRefused() {
        return phase == Phase.RCPT_TO ? refused.get() : 0;
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
                    if (phase == Phase.RCPT_TO) {
                        refused.incrementAndGet();
                        reply(out, refusal);
                    } else {
                        reply(out, "250 2.1.5 Ok");
                    }
                }
                case "DATA" -> {
                    if (phase == Phase.RCPT_TO) {
                        reply(out, "554 5.5.1 No valid recipients");
                    } else {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        String messageId = messageId(in);
                        if (refuses()) {
                            refusedMessageIds.add(messageId);
                            refused.incrementAndGet();
                            reply(out, refusal);
                        } else {
                            acceptedAtNanos.add(System.nanoTime());
                            reply(out, "250 2.0.0 Ok: queued");
                        }
                    }
                }
                case "QUIT" -> {
                    reply(out, "221 2.0.0 Bye");
                    return;
                }
                default -> reply(out, "502 5.5.2 Command not recognized");
            }
        }
    }

    /** Reads the message up to its final dot; its Message-ID header, or "" without one. */
    private static String messageId(BufferedReader in) throws IOException {
        String messageId = "";
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals(".")) {
                break;
            }
            if (line.toLowerCase(Locale.ROOT).startsWith("message-id:")) {
                messageId = line.substring("message-id:".length()).strip();
            }
        }
        return messageId;
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
