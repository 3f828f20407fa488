package com.example.subscriptions.mail;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's reply to one SMTP command: its three-digit code and, when the server sent one, its enhanced status code
 * (RFC 3463: class.subject.detail, such as 5.1.1), read from the reply's first line.
 *
 * @param status absent when the server sent none; its class may contradict the code's, which then decides whether the
 *     reply is permanent, the status still saying what it is about
 */
record SmtpReply(int code, Optional<EnhancedStatus> status) {

    private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");

    /** An enhanced status code. */
    record EnhancedStatus(int type, int subject, int detail) {

        boolean is(int subject, int detail) {
            return this.subject == subject && this.detail == detail;
        }

        @Override
        public String toString() {
            return type + "." + subject + "." + detail;
        }
    }

    /** @param response the reply's text as the server sent it, starting with its code */
    static SmtpReply of(int code, String response) {
        Matcher matcher = ENHANCED.matcher(response == null ? "" : response.strip());
        Optional<EnhancedStatus> status = Optional.empty();
        if (matcher.find()) {
            status = Optional.of(new EnhancedStatus(
                    Integer.parseInt(matcher.group(1)),
                    Integer.parseInt(matcher.group(2)),
                    Integer.parseInt(matcher.group(3))));
        }
        return new SmtpReply(code, status);
    }

    /**
     * A temporary reply that says the server or our account is over a limit (a relay's send quota, too many
     * connections): 421, 451 or 454 (SES's "454 Throttling failure"), or any 4yz with the enhanced code 4.7.x
     * (policy, rate), 4.3.2 (system not accepting messages) or 4.4.5 (system congestion).
     */
    boolean throttling() {
        if (permanent()) {
            return false;
        }
        if (code == 421 || code == 451 || code == 454) {
            return true;
        }
        return status.filter(s -> s.type() == 4 && (s.subject() == 7 || s.is(3, 2) || s.is(4, 5)))
                .isPresent();
    }

    /** RFC 5321: a 5yz reply means the same command will never succeed. */
    boolean permanent() {
        return code >= 500 && code <= 599;
    }
}
