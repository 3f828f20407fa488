package com.example.subscriptions.bounces;

import com.example.subscriptions.config.BouncesSettings;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/** The IMAP side of the bounce mailbox: the connection its settings describe, and filing one message elsewhere. */
final class ImapMailbox {

    private final BouncesSettings settings;

    ImapMailbox(BouncesSettings settings) {
        this.settings = settings;
    }

    /** A store logged in to the mailbox; the caller closes it. */
    Store connect() throws MessagingException {
        Store store = Session.getInstance(sessionProperties()).getStore(protocol());
        store.connect(
                settings.host().orElseThrow(),
                settings.port(),
                settings.username().orElse(null),
                settings.password().orElse(null));
        return store;
    }

    /** The folder, created when missing. */
    static Folder existing(Store store, String name) throws MessagingException {
        Folder folder = store.getFolder(name);
        if (!folder.exists() && !folder.create(Folder.HOLDS_MESSAGES)) {
            throw new MessagingException("cannot create folder '" + name + "'");
        }
        return folder;
    }

    /**
     * Moves the message to {@code target} (IMAP MOVE, or a copy and a deletion where the server has no MOVE), or
     * deletes it when there is no target. What is deleted goes when the folder is closed with expunge.
     */
    static void file(Store store, Folder inbox, Message message, Folder target) throws MessagingException {
        Message[] one = {message};
        if (target == null) {
            message.setFlag(Flags.Flag.DELETED, true);
        } else if (inbox instanceof IMAPFolder imap && ((IMAPStore) store).hasCapability("MOVE")) {
            imap.moveMessages(one, target);
        } else {
            inbox.copyMessages(one, target);
            message.setFlag(Flags.Flag.DELETED, true);
        }
    }

    /** For logs: {@code imaps://host:port/folder}, never the login. */
    String where() {
        return protocol() + "://" + settings.host().orElse("") + ":" + settings.port() + "/" + settings.folder();
    }

    private String protocol() {
        return settings.tls() == BouncesSettings.Tls.IMPLICIT ? "imaps" : "imap";
    }

    private Properties sessionProperties() {
        String p = "mail." + protocol() + ".";
        Properties properties = new Properties();
        properties.put(p + "connectiontimeout", Long.toString(settings.timeout().toMillis()));
        properties.put(p + "timeout", Long.toString(settings.timeout().toMillis()));
        switch (settings.tls()) {
            case IMPLICIT -> properties.put(p + "ssl.checkserveridentity", "true");
            case STARTTLS_REQUIRED -> {
                properties.put(p + "starttls.enable", "true");
                properties.put(p + "starttls.required", "true");
                properties.put(p + "ssl.checkserveridentity", "true");
            }
            case OFF -> {}
        }
        return properties;
    }
}
