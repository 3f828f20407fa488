package com.example.subscriptions.unsubscribe;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the body of an RFC 8058 one-click unsubscribe POST: the field {@code List-Unsubscribe} with the value
 * {@code One-Click}, sent as {@code application/x-www-form-urlencoded} (what mailbox providers and our confirm page
 * send) or {@code multipart/form-data}.
 */
final class OneClickBody {

    static final String FIELD = "List-Unsubscribe";
    static final String VALUE = "One-Click";

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern PART_NAME =
            Pattern.compile("content-disposition:[^\\r\\n]*\\bname=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private OneClickBody() {}

    static boolean isOneClick(String contentType, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            Matcher boundary = BOUNDARY.matcher(contentType);
            return boundary.find() && multipartHasOneClick(text, boundary.group(1));
        }
        return formHasOneClick(text);
    }

    private static boolean formHasOneClick(String text) {
        for (String pair : text.strip().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0
                    && decode(pair.substring(0, equals)).equals(FIELD)
                    && decode(pair.substring(equals + 1)).equals(VALUE)) {
                return true;
            }
        }
        return false;
    }

    private static boolean multipartHasOneClick(String text, String boundary) {
        for (String part : text.split(Pattern.quote("--" + boundary))) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            Matcher name = PART_NAME.matcher(part.substring(0, headersEnd));
            if (name.find()
                    && name.group(1).equals(FIELD)
                    && part.substring(headersEnd + 4).strip().equals(VALUE)) {
                return true;
            }
        }
        return false;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
