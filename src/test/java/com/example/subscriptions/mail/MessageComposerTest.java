package com.example.subscriptions.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.example.subscriptions.workflow.DeliveryId;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MessageComposerTest {

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final URI LINK = URI.create("https://mail.example.com/unsubscribe?token=v1.a.b");

    private static InternetAddress address(String text) throws Exception {
        return new InternetAddress(text);
    }

    @Test
    void theMessageIdIsTheSameOnEveryAttemptOfOneEmailAndDiffersForEveryOther() throws Exception {
        InternetAddress from = address("Example News <news@mail.example.com>");
        DeliveryId first = new DeliveryId("alice@example.com", "0f9c-run-1", "1");

        String id = MessageComposer.messageId(first, from);

        assertEquals("<0f9c-run-1.1@mail.example.com>", id);
        assertEquals(id, MessageComposer.messageId(new DeliveryId("alice@example.com", "0f9c-run-1", "1"), from));
        assertNotEquals(id, MessageComposer.messageId(new DeliveryId("alice@example.com", "0f9c-run-1", "2"), from));
        assertNotEquals(id, MessageComposer.messageId(new DeliveryId("alice@example.com", "0f9c-run-2", "1"), from));
    }

    @Test
    void everyHeaderIsSetAndSavingKeepsOurMessageId() throws Exception {
        MessageComposer composer =
                new MessageComposer(SESSION, address("news@example.com"), Optional.of(address("help@example.com")));

        MimeMessage message = composer.compose(
                address("alice@example.com"),
                new RenderedEmail("Welcome, Ålice", "text body\n", Optional.empty()),
                "<r.1@example.com>",
                Optional.of(LINK));
        message.saveChanges();

        assertEquals("<r.1@example.com>", message.getMessageID());
        assertArrayEquals(new Address[] {address("news@example.com")}, message.getFrom());
        assertArrayEquals(new Address[] {address("help@example.com")}, message.getReplyTo());
        assertArrayEquals(new Address[] {address("alice@example.com")}, message.getAllRecipients());
        assertEquals("Welcome, Ålice", message.getSubject());
        assertEquals("<" + LINK + ">", message.getHeader("List-Unsubscribe", null));
        assertEquals("List-Unsubscribe=One-Click", message.getHeader("List-Unsubscribe-Post", null));
        assertEquals("text body\n", message.getContent());
        assertEquals(true, message.getSentDate() != null);
    }

    @Test
    void anHtmlPartMakesItMultipartAlternativeAndNoLinkMeansNoUnsubscribeHeaders() throws Exception {
        MessageComposer composer = new MessageComposer(SESSION, address("news@example.com"), Optional.empty());

        MimeMessage message = composer.compose(
                address("alice@example.com"),
                new RenderedEmail("Bye", "plain", Optional.of("<p>html</p>")),
                "<r.2@example.com>",
                Optional.empty());

        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertEquals(true, message.getContentType().startsWith("multipart/alternative"));
        assertEquals(2, parts.getCount());
        assertEquals(true, parts.getBodyPart(0).isMimeType("text/plain"));
        assertEquals(true, parts.getBodyPart(1).isMimeType("text/html"));
        assertNull(message.getHeader("List-Unsubscribe"));
        assertNull(message.getHeader("List-Unsubscribe-Post"));
        assertNull(message.getHeader("Reply-To"));
    }
}
