package com.example.subscriptions.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a details request. The first four fields are those of the tutorial's {@code /get_details} answer.
 *
 * @param status the workflow's execution status ({@code RUNNING}, {@code CANCELED}, ...), or {@link #NOT_FOUND},
 *     {@link #UNAVAILABLE}, {@link #INVALID_REQUEST}
 * @param requestId the request's {@code requestId}, echoed
 * @param error what was wrong, for INVALID_REQUEST and UNAVAILABLE
 * @param pending double opt-in: true while the subscription waits for its subscriber's confirmation (then
 *     {@code subscribed} is false and nothing but the confirmation was sent); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DetailsReply(
        String email,
        @JsonInclude(JsonInclude.Include.ALWAYS) String message,
        boolean subscribed,
        int numberOfEmailsSent,
        String status,
        String requestId,
        String error,
        Boolean pending) {

    public DetailsReply(
            String email,
            String message,
            boolean subscribed,
            int numberOfEmailsSent,
            String status,
            String requestId,
            String error) {
        this(email, message, subscribed, numberOfEmailsSent, status, requestId, error, null);
    }

    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String UNAVAILABLE = "UNAVAILABLE";
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
}
