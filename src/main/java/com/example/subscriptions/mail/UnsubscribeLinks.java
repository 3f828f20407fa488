package com.example.subscriptions.mail;

import java.net.URI;

/**
 * The link in every email that unsubscribes its reader, {@code BASE/unsubscribe?token=TOKEN}, and the one in a
 * confirmation email that confirms a pending subscription, {@code BASE/confirm?token=TOKEN}; their tokens have
 * different purposes, so neither link works as the other.
 */
public final class UnsubscribeLinks {

    /** The path the unsubscribe listener serves. */
    public static final String PATH = "/unsubscribe";
    /** The path of the confirm link of double opt-in, on the same listener. */
    public static final String CONFIRM_PATH = "/confirm";
    /** The query parameter that carries the token. */
    public static final String TOKEN_PARAMETER = "token";

    private final String base;
    private final UnsubscribeTokens tokens;

    /** @param base the listener's public URL; a path in it (behind a proxy) is kept */
    public UnsubscribeLinks(URI base, UnsubscribeTokens tokens) {
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.tokens = tokens;
    }

    /** @param email a normalised address */
    public URI linkFor(String email) {
        // A token is base64url and dots only: nothing in it needs escaping in a query.
        return URI.create(base + PATH + "?" + TOKEN_PARAMETER + "=" + tokens.issue(email));
    }

    /** @param email a normalised address */
    public URI confirmLinkFor(String email) {
        return URI.create(base + CONFIRM_PATH + "?" + TOKEN_PARAMETER + "="
                + tokens.issue(UnsubscribeTokens.Purpose.CONFIRM, email));
    }
}
