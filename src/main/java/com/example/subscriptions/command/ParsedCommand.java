package com.example.subscriptions.command;

/** A command record as read: either a command to apply, or the reason it cannot be applied. */
public sealed interface ParsedCommand {

    record Valid(Command command) implements ParsedCommand {}

    /** What could be read of a bad record, for its REJECTED event; fields are null when unreadable. */
    record Rejected(String reason, String commandId, String type, String email) implements ParsedCommand {}
}
