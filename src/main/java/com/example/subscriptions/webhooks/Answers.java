package com.example.subscriptions.webhooks;

import com.example.subscriptions.http.Reply;
import java.util.Locale;
import java.util.Optional;

/** The webhooks' short JSON answers: a provider logs them, nobody reads them as pages. */
final class Answers {

    private Answers() {}

    static Reply json(int status, String outcome) {
        return Reply.text(
                status, outcome, "application/json", "{\"status\":" + status + ",\"outcome\":\"" + outcome + "\"}");
    }

    static Reply unavailable() {
        return json(503, "kafka_unavailable").withHeader("Retry-After", "60");
    }

    /** The media type without parameters, lower case; empty when there is none. */
    static String mediaType(Optional<String> contentType) {
        return contentType
                .map(type -> type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
    }
}
