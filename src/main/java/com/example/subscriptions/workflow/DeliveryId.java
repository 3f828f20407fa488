package com.example.subscriptions.workflow;

/**
 * Names one logical email: the {@code send_email} activity of one workflow run. A retried attempt (after a timeout or a
 * worker crash) has the same id, so a mailer can give every attempt the same {@code Message-ID} and duplicates can be
 * told apart.
 */
public record DeliveryId(String workflowId, String runId, String activityId) {}
