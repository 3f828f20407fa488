package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import com.fasterxml.jackson.databind.JsonNode;

/** Reads what one type of command holds beyond the fields every command has (type, email, commandId). */
@FunctionalInterface
interface CommandReader {

    /** @throws InvalidField when a field of this type is missing or wrong */
    Command read(JsonNode json, EmailAddress email, String commandId);

    /** A field of the command's type is missing or wrong: the command is rejected with this reason. */
    final class InvalidField extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidField(String reason) {
            super(reason, null, false, false);
        }
    }
}
