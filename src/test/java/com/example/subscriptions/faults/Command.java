package com.example.subscriptions.faults;

/** One command as the fault tests produce it: keyed by its email, with an id of its own. */
public record Command(String commandId, String type, String email) {

    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";

    public boolean subscribe() {
        return SUBSCRIBE.equals(type);
    }

    String json() {
        return "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}";
    }

    @Override
    public String toString() {
        return (subscribe() ? "S" : "U") + "(" + commandId + ")";
    }
}
