package com.example.subscriptions.webhooks;

import com.example.subscriptions.core.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;

/**
 * SNS messages as SNS posts them, signed with a {@link TestCertificate} that the test serves at
 * {@code certificateUrl}: the fields, the string SNS signs, and the body.
 */
public final class SnsTestMessages {

    public static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-notices";

    private final TestCertificate certificate;
    private final String certificateUrl;

    public SnsTestMessages(TestCertificate certificate, String certificateUrl) {
        this.certificate = certificate;
        this.certificateUrl = certificateUrl;
    }

    /** An SES Notification whose Message is {@code sesNotice}, signed with SignatureVersion {@code version}. */
    public ObjectNode notification(String sesNotice, String version) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("Type", "Notification");
        json.put("MessageId", UUID.randomUUID().toString());
        json.put("TopicArn", TOPIC);
        json.put("Message", sesNotice);
        json.put("Timestamp", "2026-12-07T12:00:00.000Z");
        json.put("SignatureVersion", version);
        json.put("SigningCertURL", certificateUrl);
        json.put("UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe");
        return sign(json);
    }

    public ObjectNode subscriptionConfirmation(String subscribeUrl) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("Type", "SubscriptionConfirmation");
        json.put("MessageId", UUID.randomUUID().toString());
        json.put("Token", "2336412f37fb687f5d51e6e2425c464de12884d5");
        json.put("TopicArn", TOPIC);
        json.put("Message", "You have chosen to subscribe to the topic " + TOPIC + ".");
        json.put("SubscribeURL", subscribeUrl);
        json.put("Timestamp", "2026-12-07T12:00:00.000Z");
        json.put("SignatureVersion", "2");
        json.put("SigningCertURL", certificateUrl);
        return sign(json);
    }

    /** Signs the message's fields as they are now (change a field afterwards to tamper with it). */
    public ObjectNode sign(ObjectNode json) {
        try {
            json.put("Signature", "");
            SnsMessage message = SnsMessage.parse(json);
            json.put(
                    "Signature",
                    certificate.sign(
                            json.get("SignatureVersion").asText().equals("1") ? "SHA1withRSA" : "SHA256withRSA",
                            message.stringToSign()));
            return json;
        } catch (SnsMessage.Malformed e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A Permanent bounce notice from SES for these recipients and their diagnostics. */
    public static String permanentBounce(Map<String, String> diagnostics) {
        return bounce("Permanent", diagnostics);
    }

    public static String bounce(String bounceType, Map<String, String> diagnostics) {
        ObjectNode notice = Json.MAPPER.createObjectNode();
        notice.put("notificationType", "Bounce");
        ObjectNode bounce = notice.putObject("bounce");
        bounce.put("bounceType", bounceType);
        bounce.put("bounceSubType", "General");
        diagnostics.forEach((email, diagnostic) -> bounce.withArray("bouncedRecipients")
                .addObject()
                .put("emailAddress", email)
                .put("action", "failed")
                .put("status", "5.1.1")
                .put("diagnosticCode", diagnostic));
        bounce.put("timestamp", "2026-12-07T11:59:59.000Z");
        notice.putObject("mail").put("messageId", "0100018c-ses");
        return notice.toString();
    }

    public static String complaint(String email) {
        ObjectNode notice = Json.MAPPER.createObjectNode();
        notice.put("notificationType", "Complaint");
        ObjectNode complaint = notice.putObject("complaint");
        complaint.withArray("complainedRecipients").addObject().put("emailAddress", email);
        complaint.put("complaintFeedbackType", "abuse");
        return notice.toString();
    }
}
