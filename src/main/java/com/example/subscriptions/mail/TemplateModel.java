package com.example.subscriptions.mail;

import java.util.Map;

/**
 * The placeholders of the email templates.
 *
 * @param email the subscriber's address
 * @param count the number of this email in the subscription (the goodbye repeats the last one's)
 * @param message the workflow's message for this email, e.g. "Welcome to our Subscription Workflow!"
 * @param unsubscribeUrl the subscriber's one-click unsubscribe link
 * @param confirmUrl the link that confirms a pending subscription (double opt-in); in every email, used by the
 *     confirmation's templates
 */
public record TemplateModel(String email, int count, String message, String unsubscribeUrl, String confirmUrl) {

    Map<String, Object> asMap() {
        return Map.of(
                "email",
                email,
                "count",
                count,
                "message",
                message,
                "unsubscribeUrl",
                unsubscribeUrl,
                "confirmUrl",
                confirmUrl);
    }
}
