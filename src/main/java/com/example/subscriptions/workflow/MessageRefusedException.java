package com.example.subscriptions.workflow;

/**
 * The mail server refused this email for good (a 5xx reply to the message, such as 5.7.1 for content or policy), but
 * not the address. The activity retries it a bounded number of times, then gives the email up; the subscription goes
 * on.
 */
public final class MessageRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The type of the activity failure of an attempt that will be retried. */
    public static final String FAILURE_TYPE = "MessageRefused";

    /** @param reply what the server answered, e.g. {@code 554 5.7.1 Message rejected as spam} */
    public MessageRefusedException(String reply) {
        super(reply);
    }
}
