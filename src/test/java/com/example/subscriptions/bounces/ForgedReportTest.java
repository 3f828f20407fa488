package com.example.subscriptions.bounces;

import static com.example.subscriptions.bounces.ReportReaderTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reports that someone other than a relay put in the mailbox: with {@code bounces.imap.require-our-message}, a report
 * counts only when it returns a message of ours sent to the subscriber it names.
 */
class ForgedReportTest {

    private final ReportReader strict = new ReportReader(Optional.of("example.com"), true);
    private final ReportReader lenient = new ReportReader(Optional.of("example.com"), false);

    private static byte[] edited(String name, String from, String to) {
        String text = new String(sample(name), StandardCharsets.US_ASCII);
        assertTrue(text.contains(from), from);
        return text.replace(from, to).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aReportOfAMessageOfOursToItsSubscriberCounts() {
        assertInstanceOf(MailboxReport.Suppressions.class, strict.read(sample("dsn-user-unknown.eml")));
        assertInstanceOf(MailboxReport.Suppressions.class, strict.read(sample("arf-abuse.eml")));
        assertInstanceOf(MailboxReport.Suppressions.class, strict.read(sample("dsn-incomplete.eml")));
    }

    @Test
    void aReportNamingSomeoneElseThanTheReturnedMessagesRecipientIsUnparsed() {
        byte[] forged = edited(
                "dsn-user-unknown.eml",
                "Final-Recipient: RFC822; Bob@Example.org",
                "Final-Recipient:" + " rfc822; victim@example.org");

        MailboxReport report = strict.read(forged);

        assertTrue(
                assertInstanceOf(MailboxReport.Unparsed.class, report).why().contains("someone else"),
                report::toString);
        assertInstanceOf(
                MailboxReport.Unparsed.class,
                strict.read(edited(
                        "arf-abuse.eml",
                        "Original-Rcpt-To: <Heidi@Example.org>",
                        "Original-Rcpt-To:" + " <victim@example.org>")));
    }

    @Test
    void backscatterOfAMessageNotOursIsUnparsed() {
        byte[] backscatter = edited(
                "dsn-user-unknown.eml",
                "<0f9c2b1e-5c7d-4a8e-9b1f-3d2e4c5a6b7c.1@example.com>",
                "<CAF=spam123@mail.spammer.example>");

        assertInstanceOf(MailboxReport.Unparsed.class, strict.read(backscatter));
        // Without the setting, the relay's word is taken: the README says who can write to the mailbox.
        assertInstanceOf(MailboxReport.Suppressions.class, lenient.read(backscatter));
    }

    @Test
    void aReportReturningNoMessageIsUnparsed() {
        String text = new String(sample("dsn-user-unknown.eml"), StandardCharsets.US_ASCII);
        byte[] bare = (text.substring(0, text.indexOf("Content-Type: text/rfc822-headers"))
                        + "\n--RAA14128.773615765/relay.example.net--\n")
                .replace("--RAA14128.773615765/relay.example.net\n\n--RAA14128", "--RAA14128")
                .getBytes(StandardCharsets.US_ASCII);

        MailboxReport report = strict.read(bare);

        assertTrue(
                assertInstanceOf(MailboxReport.Unparsed.class, report).why().contains("returns none"),
                report::toString);
        assertEquals("dsn-bounce", lenient.read(bare).kind());
    }
}
