package com.example.subscriptions.workflow;

/**
 * An attempt to deliver an email failed for a reason that may pass: the mail server down, slow or busy, a timeout, a
 * 4xx reply. The sender has logged it in one line; Temporal retries the email with backoff.
 */
public final class DeliveryFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The type of the activity failure this becomes. */
    public static final String FAILURE_TYPE = "DeliveryFailed";

    private final boolean throttled;

    public DeliveryFailedException(String description) {
        this(description, false);
    }

    private DeliveryFailedException(String description, boolean throttled) {
        super(description);
        this.throttled = throttled;
    }

    /** The server said we are over a limit (421, 451, 454, 4.7.x): retried as any other, and counted apart. */
    public static DeliveryFailedException throttled(String description) {
        return new DeliveryFailedException(description, true);
    }

    public boolean throttled() {
        return throttled;
    }
}
