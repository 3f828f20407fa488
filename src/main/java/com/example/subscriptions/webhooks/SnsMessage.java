package com.example.subscriptions.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * An Amazon SNS message as SNS posts it to an HTTPS subscriber: the JSON body's fields, and the string its signature
 * covers ("Verifying the signatures of Amazon SNS messages" in the SNS developer guide).
 *
 * @param subscribeUrl SubscriptionConfirmation and UnsubscribeConfirmation only
 * @param token SubscriptionConfirmation and UnsubscribeConfirmation only
 * @param subject Notification only, and optional there
 */
record SnsMessage(
        Type type,
        String messageId,
        String topicArn,
        String message,
        String timestamp,
        String signatureVersion,
        String signature,
        String signingCertUrl,
        Optional<String> subject,
        Optional<String> subscribeUrl,
        Optional<String> token) {

    enum Type {
        NOTIFICATION("Notification"),
        SUBSCRIPTION_CONFIRMATION("SubscriptionConfirmation"),
        UNSUBSCRIBE_CONFIRMATION("UnsubscribeConfirmation");

        final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        static Optional<Type> of(String wireName) {
            for (Type type : values()) {
                if (type.wireName.equals(wireName)) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    /** Not an SNS message: a field is missing or not a string, or the type is unknown. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    static SnsMessage parse(ObjectNode json) throws Malformed {
        String typeName = required(json, "Type");
        Type type = Type.of(typeName).orElseThrow(() -> new Malformed("unknown Type"));
        boolean confirmation = type != Type.NOTIFICATION;
        return new SnsMessage(
                type,
                required(json, "MessageId"),
                required(json, "TopicArn"),
                required(json, "Message"),
                required(json, "Timestamp"),
                required(json, "SignatureVersion"),
                required(json, "Signature"),
                required(json, "SigningCertURL"),
                confirmation ? Optional.empty() : optional(json, "Subject"),
                confirmation ? Optional.of(required(json, "SubscribeURL")) : Optional.empty(),
                confirmation ? Optional.of(required(json, "Token")) : Optional.empty());
    }

    /** Each signed field's name and value, a line each, in the order SNS signs them. */
    String stringToSign() {
        StringBuilder text = new StringBuilder();
        for (List<String> field : signedFields()) {
            text.append(field.get(0)).append('\n').append(field.get(1)).append('\n');
        }
        return text.toString();
    }

    private List<List<String>> signedFields() {
        if (type == Type.NOTIFICATION) {
            return subject.isPresent()
                    ? List.of(
                            List.of("Message", message),
                            List.of("MessageId", messageId),
                            List.of("Subject", subject.get()),
                            List.of("Timestamp", timestamp),
                            List.of("TopicArn", topicArn),
                            List.of("Type", type.wireName))
                    : List.of(
                            List.of("Message", message),
                            List.of("MessageId", messageId),
                            List.of("Timestamp", timestamp),
                            List.of("TopicArn", topicArn),
                            List.of("Type", type.wireName));
        }
        return List.of(
                List.of("Message", message),
                List.of("MessageId", messageId),
                List.of("SubscribeURL", subscribeUrl.orElseThrow()),
                List.of("Timestamp", timestamp),
                List.of("Token", token.orElseThrow()),
                List.of("TopicArn", topicArn),
                List.of("Type", type.wireName));
    }

    private static String required(ObjectNode json, String field) throws Malformed {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            throw new Malformed("field '" + field + "' missing or not a string");
        }
        return node.asText();
    }

    private static Optional<String> optional(ObjectNode json, String field) throws Malformed {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new Malformed("field '" + field + "' not a string");
        }
        return Optional.of(node.asText());
    }
}
