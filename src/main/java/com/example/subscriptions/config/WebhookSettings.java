package com.example.subscriptions.config;

import java.time.Duration;
import java.util.List;

/**
 * The provider webhooks on the public listener (unsubscribe role). Each is off until configured.
 *
 * @param sesTopicArns the SNS topics whose notifications {@code /webhooks/ses} accepts; empty turns the route off
 * @param secrets the HMAC keys {@code /webhooks/generic} accepts (several while a key is rotated); empty turns it off
 * @param tolerance how far a generic webhook's timestamp may be from this host's clock
 * @param rateLimit requests per minute per client address, for each webhook route
 */
public record WebhookSettings(List<String> sesTopicArns, List<String> secrets, Duration tolerance, int rateLimit) {

    /** As for the unsubscribe secret: a shorter key is too easy to guess. */
    public static final int MIN_SECRET_LENGTH = 32;

    public WebhookSettings {
        sesTopicArns = List.copyOf(sesTopicArns);
        secrets = List.copyOf(secrets);
    }

    static WebhookSettings read(Values v) {
        List<String> arns = v.list("webhooks.ses.topic-arns");
        for (String arn : arns) {
            if (!arn.startsWith("arn:aws") || arn.split(":", -1).length != 6) {
                throw new ConfigException("Setting 'webhooks.ses.topic-arns' must list SNS topic ARNs such as"
                        + " arn:aws:sns:eu-west-1:123456789012:ses-notices, had '" + arn + "'");
            }
        }
        List<String> secrets = v.list("webhooks.secrets");
        for (String secret : secrets) {
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new ConfigException("Setting 'webhooks.secrets': every key must be at least " + MIN_SECRET_LENGTH
                        + " characters, one was " + secret.length());
            }
        }
        return new WebhookSettings(
                arns, secrets, v.positiveDuration("webhooks.tolerance"), v.positiveInt("webhooks.rate-limit"));
    }

    public boolean sesEnabled() {
        return !sesTopicArns.isEmpty();
    }

    public boolean genericEnabled() {
        return !secrets.isEmpty();
    }

    @Override
    public String toString() {
        return "WebhookSettings[sesTopicArns=" + sesTopicArns + ", secrets=" + secrets.size() + " hidden, tolerance="
                + tolerance + ", rateLimit=" + rateLimit + "]";
    }
}
