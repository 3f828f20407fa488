package com.example.subscriptions.core;

import java.util.function.UnaryOperator;

/** Hides most of an address in logs: {@code alice@example.com} becomes {@code a***@example.com}. */
public final class EmailMask {

    private EmailMask() {}

    public static UnaryOperator<String> of(boolean showEmails) {
        return showEmails ? UnaryOperator.identity() : EmailMask::mask;
    }

    public static String mask(String email) {
        if (email == null) {
            return null;
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }
}
