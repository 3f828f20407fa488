package com.example.subscriptions.mail;

import com.example.subscriptions.workflow.EmailDetails;

/** The emails of a subscription, each with its own template. */
public enum EmailKind {
    /** Double opt-in: asks the subscriber to confirm; the only email before the confirmation. */
    CONFIRM("confirm"),
    WELCOME("welcome"),
    LATER("later"),
    GOODBYE("goodbye");

    private final String templateName;

    EmailKind(String templateName) {
        this.templateName = templateName;
    }

    /** The file name of its templates without extension: {@code welcome.txt}, {@code welcome.html}. */
    public String templateName() {
        return templateName;
    }

    public static EmailKind of(EmailDetails details) {
        if (details.pending()) {
            return CONFIRM;
        }
        if (!details.subscribed()) {
            return GOODBYE;
        }
        return details.count() > 1 ? LATER : WELCOME;
    }
}
