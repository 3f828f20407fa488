package com.example.subscriptions.bounces;

import com.example.subscriptions.core.EmailAddress;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subscriber of a returned message, for a report that does not name the recipient itself. Only a message of ours
 * counts: its Message-ID has the shape the worker gives every email, {@code <runId.activityId@domain-of-From>}, at our
 * From domain when it is known; then its {@code To} is the one subscriber the worker sent it to.
 */
final class ReturnedMessage {

    private static final Pattern OUR_MESSAGE_ID =
            Pattern.compile("^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+@([^>@\\s]+)>$");

    private ReturnedMessage() {}

    /**
     * @param ourDomain the domain of {@code mail.from}; empty when this process does not know it, then any domain
     *     passes
     */
    static Optional<EmailAddress> subscriber(InternetHeaders headers, Optional<String> ourDomain) {
        String messageId = headers.getHeader("Message-ID", null);
        if (messageId == null) {
            return Optional.empty();
        }
        Matcher ours = OUR_MESSAGE_ID.matcher(messageId.strip());
        if (!ours.matches()
                || ourDomain.isPresent()
                        && !ours.group(1)
                                .toLowerCase(Locale.ROOT)
                                .equals(ourDomain.get().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String to = headers.getHeader("To", ",");
        if (to == null) {
            return Optional.empty();
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(to, false);
            return addresses.length == 1 ? address(addresses[0].getAddress()) : Optional.empty();
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    /** An address as a report writes it ({@code <bob@example.com>}, {@code bob@example.com}), if plausible. */
    static Optional<EmailAddress> address(String written) {
        if (written == null) {
            return Optional.empty();
        }
        String bare = written.strip();
        if (bare.startsWith("<") && bare.endsWith(">")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        return EmailAddress.parse(bare) instanceof EmailAddress.Parsed.Valid valid
                ? Optional.of(valid.email())
                : Optional.empty();
    }
}
