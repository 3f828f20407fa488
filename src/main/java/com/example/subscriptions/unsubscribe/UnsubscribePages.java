package com.example.subscriptions.unsubscribe;

/** The small HTML pages the listener answers with; nothing in them comes from the request but the checked address. */
final class UnsubscribePages {

    private UnsubscribePages() {}

    /** What a GET shows: nothing changes until the reader presses the button, which POSTs the one-click body. */
    static String confirm(String email) {
        return page(
                "Unsubscribe?",
                "<p>Stop the emails to <strong>" + escape(email) + "</strong>?</p>\n"
                        + "<form method=\"post\">\n"
                        + "<input type=\"hidden\" name=\"" + OneClickBody.FIELD + "\" value=\"" + OneClickBody.VALUE
                        + "\">\n"
                        + "<button type=\"submit\">Unsubscribe</button>\n"
                        + "</form>");
    }

    static String unsubscribed(String email) {
        return page(
                "Unsubscribed",
                "<p>Your request is recorded: <strong>" + escape(email) + "</strong> gets no more emails from this"
                        + " subscription. If it was still subscribed, one last email confirms it.</p>");
    }

    /** What a GET of a confirm link shows: nothing changes until the reader presses the button. */
    static String confirmSubscription(String email) {
        return page(
                "Confirm your subscription?",
                "<p>Start the emails to <strong>" + escape(email) + "</strong>?</p>\n"
                        + "<form method=\"post\">\n"
                        + "<input type=\"hidden\" name=\"" + ConfirmRoute.FIELD + "\" value=\"" + ConfirmRoute.VALUE
                        + "\">\n"
                        + "<button type=\"submit\">Confirm</button>\n"
                        + "</form>");
    }

    static String confirmed(String email) {
        return page(
                "Confirmed",
                "<p>Thank you: <strong>" + escape(email) + "</strong> is confirmed. If its subscription was still"
                        + " waiting for you, the first email is on its way.</p>");
    }

    static String refused(String why) {
        return page("Link not valid", "<p>" + escape(why) + "</p>");
    }

    static String unavailable() {
        return page(
                "Try again shortly",
                "<p>Your request could not be recorded just now. Nothing changed; please try again in a minute.</p>");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><meta name=\"robots\" content=\"noindex\">"
                + "<title>" + title + "</title>"
                + "<style>body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em}</style></head>\n"
                + "<body>\n<h1>" + title + "</h1>\n" + body + "\n</body>\n</html>\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
