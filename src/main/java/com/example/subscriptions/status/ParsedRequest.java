package com.example.subscriptions.status;

import com.example.subscriptions.core.EmailAddress;
import java.util.Optional;
import java.util.OptionalLong;

/** A details request as read: one to answer, or what is wrong with it. */
public sealed interface ParsedRequest {

    ReplyRoute route();

    Optional<String> requestId();

    OptionalLong deadlineEpochMillis();

    record Valid(EmailAddress email, ReplyRoute route, Optional<String> requestId, OptionalLong deadlineEpochMillis)
            implements ParsedRequest {}

    record Invalid(String reason, ReplyRoute route, Optional<String> requestId, OptionalLong deadlineEpochMillis)
            implements ParsedRequest {

        /** A requester that can recognise a reply gets one; the others' requests go to the dead letter topic. */
        public boolean answerable() {
            return route.correlationId().isPresent() || requestId.isPresent();
        }
    }
}
