package com.example.subscriptions.mail;

import java.util.Optional;

/** What a template made of one email: its subject, its plain-text body and, if the kind has one, an HTML body. */
public record RenderedEmail(String subject, String text, Optional<String> html) {}
