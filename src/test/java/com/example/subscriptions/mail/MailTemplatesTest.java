package com.example.subscriptions.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.MailSettings;
import com.example.subscriptions.workflow.EmailDetails;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailTemplatesTest {

    private static final String LINK = "https://mail.example.com/unsubscribe?token=v1.abc.def&x=1";
    private static final String CONFIRM_LINK = "https://mail.example.com/confirm?token=c1.abc.def";

    @TempDir
    Path dir;

    private static TemplateModel model(int count, String message) {
        return new TemplateModel("alice@example.com", count, message, LINK, CONFIRM_LINK);
    }

    @Test
    void theShippedTemplatesSayWhatTheTutorialSaysAndShowTheLink() {
        MailTemplates templates = MailTemplates.load(MailSettings.DEFAULT_TEMPLATES_DIR);

        RenderedEmail welcome = templates.render(EmailKind.WELCOME, model(1, EmailDetails.WELCOME));
        assertEquals("Welcome to our Subscription Workflow!", welcome.subject());
        assertTrue(welcome.text().startsWith("Hello,\n\nWelcome to our Subscription Workflow!"), welcome.text());
        assertTrue(
                welcome.text().contains("alice@example.com") && welcome.text().contains(LINK), welcome.text());
        assertTrue(welcome.html().orElseThrow().contains("href=\"" + LINK.replace("&", "&amp;") + "\""));

        RenderedEmail later = templates.render(EmailKind.LATER, model(1234, EmailDetails.THANK_YOU));
        assertEquals("Thank you for staying subscribed!", later.subject());
        assertTrue(later.text().contains("email number 1234 to alice@example.com"), later.text());

        RenderedEmail goodbye = templates.render(EmailKind.GOODBYE, model(3, EmailDetails.GOODBYE));
        assertEquals("Sorry to see you go", goodbye.subject());
        assertTrue(goodbye.html().isEmpty());
        assertFalse(goodbye.text().contains(LINK));
    }

    @Test
    void theJarsCopiesAreTheShippedTemplates() throws IOException {
        for (String name : new String[] {"welcome.txt", "later.txt", "goodbye.txt", "welcome.html", "later.html"}) {
            try (var packaged = MailTemplates.class.getResourceAsStream(MailTemplates.PACKAGED + "/" + name)) {
                assertEquals(
                        Files.readString(MailSettings.DEFAULT_TEMPLATES_DIR.resolve(name)),
                        new String(packaged.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                        name);
            }
        }
    }

    @Test
    void aFolderOfOwnTemplatesEscapesInHtmlOnly() throws IOException {
        writeTextTemplates();
        Files.writeString(dir.resolve("later.html"), "<p>${message}</p>");

        MailTemplates templates = MailTemplates.load(dir);
        RenderedEmail later = templates.render(EmailKind.LATER, model(2, "Tom & <Jerry>"));

        assertEquals("Count 2 for alice@example.com", later.subject());
        assertEquals("Tom & <Jerry>\n", later.text());
        assertEquals("<p>Tom &amp; &lt;Jerry&gt;</p>", later.html().orElseThrow());
        assertTrue(templates.render(EmailKind.WELCOME, model(1, "m")).html().isEmpty());
    }

    @Test
    void aBrokenTemplateFailsWhenLoadedNamingTheFile() throws IOException {
        writeTextTemplates();
        Files.writeString(dir.resolve("goodbye.txt"), "Subject: Bye\n\n${emial}\n");
        ConfigException unknown = assertThrows(ConfigException.class, () -> MailTemplates.load(dir));
        assertTrue(
                unknown.getMessage().contains("goodbye.txt")
                        && unknown.getMessage().contains("emial"),
                unknown.getMessage());

        Files.writeString(dir.resolve("goodbye.txt"), "Subject: Bye\n\n<#if>\n");
        ConfigException syntax = assertThrows(ConfigException.class, () -> MailTemplates.load(dir));
        assertTrue(syntax.getMessage().contains("goodbye.txt"), syntax.getMessage());

        Files.writeString(dir.resolve("goodbye.txt"), "Bye\n");
        ConfigException noSubject = assertThrows(ConfigException.class, () -> MailTemplates.load(dir));
        assertTrue(noSubject.getMessage().contains("Subject:"), noSubject.getMessage());

        Files.delete(dir.resolve("goodbye.txt"));
        ConfigException missing = assertThrows(ConfigException.class, () -> MailTemplates.load(dir));
        assertTrue(missing.getMessage().contains("goodbye.txt is missing"), missing.getMessage());
    }

    @Test
    void aMissingFolderIsAnErrorUnlessItIsTheDefault() {
        ConfigException e = assertThrows(ConfigException.class, () -> MailTemplates.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("'mail.templates-dir'"), e.getMessage());
    }

    private void writeTextTemplates() throws IOException {
        for (EmailKind kind : EmailKind.values()) {
            Files.writeString(
                    dir.resolve(kind.templateName() + ".txt"), "Subject: Count ${count} for ${email}\n\n${message}\n");
        }
    }
}
