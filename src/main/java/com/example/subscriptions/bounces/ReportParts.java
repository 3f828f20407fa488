package com.example.subscriptions.bounces;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of a {@code multipart/report} (RFC 6522) a reader looks at: the machine-readable report, read as blocks of
 * header fields, and the returned message's headers. Only the top-level parts are read, and only their headers and
 * bytes: nothing nested inside them is parsed, however deep it goes.
 */
final class ReportParts {

    /** The returned message, whole or its headers only, as RFC 3464, RFC 5965 and RFC 6533 name it. */
    private static final List<String> RETURNED_TYPES =
            List.of("message/rfc822", "message/global", "text/rfc822-headers", "text/global-headers");

    private final MimeMultipart parts;

    ReportParts(MimeMultipart parts) {
        this.parts = parts;
    }

    /** The blocks of header fields of the first part of one of {@code types}; empty when there is none. */
    Optional<List<InternetHeaders>> fieldBlocks(List<String> types) throws MessagingException, IOException {
        Optional<BodyPart> part = first(types);
        if (part.isEmpty()) {
            return Optional.empty();
        }
        String text;
        try (InputStream in = part.get().getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<InternetHeaders> blocks = new ArrayList<>();
        for (String block : text.replace("\r\n", "\n").split("\n[ \t]*\n")) {
            if (!block.isBlank()) {
                blocks.add(new InternetHeaders(
                        new ByteArrayInputStream((block.strip() + "\n\n").getBytes(StandardCharsets.UTF_8))));
            }
        }
        return Optional.of(blocks);
    }

    /** The headers of the returned message, when the report carries it or its headers. */
    Optional<InternetHeaders> returnedHeaders() throws MessagingException, IOException {
        Optional<BodyPart> part = first(RETURNED_TYPES);
        if (part.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = part.get().getInputStream()) {
            // Reads up to the first blank line: the returned message's body, if any, is never looked at.
            return Optional.of(new InternetHeaders(in));
        }
    }

    private Optional<BodyPart> first(List<String> types) throws MessagingException {
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (matchesAny(part.getContentType(), types)) {
                return Optional.of(part);
            }
        }
        return Optional.empty();
    }

    private static boolean matchesAny(String contentType, List<String> types) {
        if (contentType == null) {
            return false;
        }
        try {
            ContentType type = new ContentType(contentType);
            return types.stream().anyMatch(type::match);
        } catch (ParseException e) {
            return false;
        }
    }
}
