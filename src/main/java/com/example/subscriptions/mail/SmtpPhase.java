package com.example.subscriptions.mail;

/** Where in the SMTP transaction a reply came. */
enum SmtpPhase {
    /** Connecting, the greeting, EHLO, STARTTLS. */
    CONNECT,
    AUTH,
    /** {@code MAIL FROM}: the sender, ours. */
    MAIL_FROM,
    /** {@code RCPT TO}: the recipient, the subscriber. */
    RCPT_TO,
    /** {@code DATA} and the reply after the message itself. */
    MESSAGE
}
