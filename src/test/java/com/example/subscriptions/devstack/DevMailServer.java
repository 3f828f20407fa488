package com.example.subscriptions.devstack;

import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The dev stack's SMTP server (GreenMail, in this JVM): keeps every email delivered and tells a listener of each. */
public final class DevMailServer implements AutoCloseable {

    private final GreenMail greenMail;
    private final List<Consumer<MimeMessage>> listeners = new CopyOnWriteArrayList<>();

    private DevMailServer(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    /** @param port 0 for any free port */
    public static DevMailServer start(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        GreenMail greenMail = new GreenMail(port == 0 ? setup.dynamicPort() : setup);
        greenMail.start();
        DevMailServer server = new DevMailServer(greenMail);
        UserManager users = greenMail.getUserManager();
        MessageDeliveryHandler store = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            var user = store.handle(message, recipient);
            server.listeners.forEach(listener -> listener.accept(message.getMessage()));
            return user;
        });
        return server;
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    public void onDelivered(Consumer<MimeMessage> listener) {
        listeners.add(listener);
    }

    public List<MimeMessage> received() {
        return List.of(greenMail.getReceivedMessages());
    }

    /** One line for the console: recipient, subject and the one-click link, ready to paste into curl. */
    public static String describe(MimeMessage message) {
        try {
            String to = message.getAllRecipients()[0].toString();
            String link = message.getHeader("List-Unsubscribe", null);
            return "Email to " + to + ": \"" + message.getSubject() + "\""
                    + (link == null
                            ? ""
                            : "\n    unsubscribe: curl -X POST -d List-Unsubscribe=One-Click '"
                                    + link.substring(1, link.length() - 1) + "'");
        } catch (MessagingException e) {
            return "Email (unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
