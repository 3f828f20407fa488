package com.example.subscriptions.core;

import java.util.concurrent.CompletionException;

/** The failures of {@link java.util.concurrent.CompletionStage}s, as callers mean them. */
public final class Futures {

    private Futures() {}

    /** What a stage failed with, without the {@link CompletionException} that dependent stages wrap it in. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * For a {@code handle} that passes a failure on: throwing it, dependent stages see the same failure, not one
     * wrapped once more.
     */
    public static CompletionException passOn(Throwable error) {
        return error instanceof CompletionException wrapped ? wrapped : new CompletionException(error);
    }
}
