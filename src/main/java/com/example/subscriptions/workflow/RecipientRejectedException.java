package com.example.subscriptions.workflow;

/**
 * The mail server refused the subscriber's address for good (an SMTP 5xx reply to the recipient). Retrying cannot help:
 * the subscription ends, and its details say why.
 */
public final class RecipientRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The type of the activity failure this becomes, which the workflow recognises. */
    public static final String FAILURE_TYPE = "RecipientRejected";

    /** @param reply what the server answered, e.g. {@code 550 5.1.1 <bob@example.com>: Recipient address rejected} */
    public RecipientRejectedException(String reply) {
        super(reply);
    }
}
