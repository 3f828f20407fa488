package com.example.subscriptions.mail;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.MailSettings;
import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.ConditionalTemplateConfigurationFactory;
import freemarker.cache.FileExtensionMatcher;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.core.PlainTextOutputFormat;
import freemarker.core.TemplateConfiguration;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The email templates, one per {@link EmailKind}: {@code NAME.txt} (a {@code Subject:} line, a blank line, then the
 * plain-text body) and optionally {@code NAME.html} (an HTML part: the email becomes multipart/alternative). FreeMarker
 * renders them with {@code ${email}}, {@code ${count}}, {@code ${message}}, {@code ${unsubscribeUrl}} and {@code ${confirmUrl}}; the HTML
 * part escapes what it inserts, the text part inserts it as it is. All are parsed and rendered once with sample values
 * when loaded, so a broken template stops the start instead of the first email; edits take effect at the next start.
 */
public final class MailTemplates {

    static final String PACKAGED = "/mail-templates";
    private static final String SUBJECT = "Subject:";

    private final Map<EmailKind, Template> texts = new EnumMap<>(EmailKind.class);
    private final Map<EmailKind, Template> htmls = new EnumMap<>(EmailKind.class);
    private final String origin;

    private MailTemplates(TemplateLoader loader, String origin) {
        this.origin = origin;
        Configuration freemarker = configuration(loader);
        for (EmailKind kind : EmailKind.values()) {
            texts.put(kind, template(freemarker, kind.templateName() + ".txt", false));
            Template html = template(freemarker, kind.templateName() + ".html", true);
            if (html != null) {
                htmls.put(kind, html);
            }
        }
        TemplateModel sample = new TemplateModel(
                "subscriber@example.com",
                1,
                "A message",
                "https://mail.example.com/unsubscribe?token=sample",
                "https://mail.example.com/confirm?token=sample");
        for (EmailKind kind : EmailKind.values()) {
            render(kind, sample);
        }
    }

    /**
     * The templates in {@code dir}; the ones packaged in the jar when {@code dir} is the default folder and does not
     * exist (the service started from another directory).
     */
    public static MailTemplates load(Path dir) {
        if (Files.isDirectory(dir)) {
            try {
                return new MailTemplates(new FileTemplateLoader(dir.toFile()), dir + "/");
            } catch (IOException e) {
                throw new ConfigException("Setting 'mail.templates-dir': cannot read " + dir + ": " + e.getMessage());
            }
        }
        if (dir.equals(MailSettings.DEFAULT_TEMPLATES_DIR)) {
            return packaged();
        }
        throw new ConfigException("Setting 'mail.templates-dir': folder " + dir.toAbsolutePath() + " does not exist");
    }

    /** The default templates, as shipped in {@code config/mail} and packaged in the jar. */
    public static MailTemplates packaged() {
        return new MailTemplates(new ClassTemplateLoader(MailTemplates.class, PACKAGED), "the jar's defaults ");
    }

    /** Where the templates came from, for the start log line. */
    public String origin() {
        return origin.strip();
    }

    public RenderedEmail render(EmailKind kind, TemplateModel model) {
        String name = kind.templateName() + ".txt";
        String text = process(texts.get(kind), model);
        int firstLineEnd = text.indexOf('\n');
        String firstLine = (firstLineEnd < 0 ? text : text.substring(0, firstLineEnd)).strip();
        if (!firstLine.regionMatches(true, 0, SUBJECT, 0, SUBJECT.length())) {
            throw new ConfigException("Email template " + origin + name + " must start with a '" + SUBJECT
                    + " ...' line, then a blank line, then the body");
        }
        String subject = firstLine.substring(SUBJECT.length()).strip();
        if (subject.isEmpty()) {
            throw new ConfigException("Email template " + origin + name + " has an empty subject");
        }
        String body = firstLineEnd < 0 ? "" : text.substring(firstLineEnd + 1);
        // The blank line that separates the subject from the body, as in an email's own header.
        body = body.startsWith("\r\n") ? body.substring(2) : body.startsWith("\n") ? body.substring(1) : body;
        return new RenderedEmail(
                subject, body, Optional.ofNullable(htmls.get(kind)).map(html -> process(html, model)));
    }

    private String process(Template template, TemplateModel model) {
        StringWriter out = new StringWriter();
        try {
            template.process(model.asMap(), out);
        } catch (TemplateException | IOException e) {
            throw new ConfigException(
                    "Email template " + origin + template.getName() + " cannot be rendered: " + e.getMessage());
        }
        return out.toString();
    }

    private Template template(Configuration freemarker, String name, boolean optional) {
        try {
            return freemarker.getTemplate(name, null, null, true, optional);
        } catch (TemplateNotFoundException e) {
            throw new ConfigException("Email template " + origin + name + " is missing");
        } catch (IOException e) {
            // ParseException is an IOException: its message names the line and column.
            throw new ConfigException("Email template " + origin + name + " is broken: " + e.getMessage());
        }
    }

    private static Configuration configuration(TemplateLoader loader) {
        Configuration freemarker = new Configuration(Configuration.VERSION_2_3_35);
        freemarker.setTemplateLoader(loader);
        freemarker.setDefaultEncoding("UTF-8");
        freemarker.setLocale(Locale.ROOT);
        // 1234, not "1,234": the count is a number of emails, not an amount.
        freemarker.setNumberFormat("computer");
        freemarker.setOutputFormat(PlainTextOutputFormat.INSTANCE);
        TemplateConfiguration html = new TemplateConfiguration();
        html.setOutputFormat(HTMLOutputFormat.INSTANCE);
        freemarker.setTemplateConfigurations(
                new ConditionalTemplateConfigurationFactory(new FileExtensionMatcher("html"), html));
        freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        freemarker.setLogTemplateExceptions(false);
        freemarker.setWrapUncheckedExceptions(true);
        freemarker.setFallbackOnNullLoopVariable(false);
        return freemarker;
    }
}
