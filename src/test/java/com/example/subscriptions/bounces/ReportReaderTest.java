package com.example.subscriptions.bounces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The DSN and ARF samples under src/test/resources/bounces, written after the RFCs' examples. */
class ReportReaderTest {

    private final ReportReader reader = new ReportReader(Optional.of("example.com"), false);

    static byte[] sample(String name) {
        try (InputStream in = ReportReaderTest.class.getResourceAsStream("/bounces/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private MailboxReport.Found onlyFound(String sample) {
        MailboxReport report = reader.read(sample(sample));
        List<MailboxReport.Found> found = assertInstanceOf(MailboxReport.Suppressions.class, report, report::toString)
                .found();
        assertEquals(1, found.size(), found::toString);
        return found.get(0);
    }

    @Test
    void aFailedDsnWithAnAddressGoneStatusIsABounceOfItsFinalRecipient() {
        MailboxReport.Found bounce = onlyFound("dsn-user-unknown.eml");

        assertEquals(SuppressionReason.BOUNCE, bounce.reason());
        assertEquals(ReportSource.DSN, bounce.source());
        assertEquals("bob@example.org", bounce.email().value());
        assertEquals("smtp; 550 5.1.1 <bob@example.org>... User unknown", bounce.diagnostic());
        assertTrue(bounce.commandId().startsWith("bounce-dsn-"), bounce.commandId());
        assertEquals("dsn-bounce", reader.read(sample("dsn-user-unknown.eml")).kind());
    }

    @Test
    void readingTheSameReportAgainGivesTheSameCommandIdAndAnotherReportAnother() {
        String first = onlyFound("dsn-user-unknown.eml").commandId();
        assertEquals(first, onlyFound("dsn-user-unknown.eml").commandId());
        byte[] other = new String(sample("dsn-user-unknown.eml"), StandardCharsets.US_ASCII)
                .replace("RAA14128@relay", "RAA99999@relay")
                .getBytes(StandardCharsets.US_ASCII);
        MailboxReport.Found again =
                ((MailboxReport.Suppressions) reader.read(other)).found().get(0);
        assertNotEquals(first, again.commandId());
    }

    @Test
    void anIncompleteDsnFindsTheSubscriberInTheReturnedMessageOfOurs() {
        MailboxReport.Found bounce = onlyFound("dsn-incomplete.eml");

        assertEquals("carol@example.org", bounce.email().value());
        assertEquals("smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound", bounce.diagnostic());
    }

    @Test
    void anIncompleteDsnOfAMessageNotOursIsUnparsed() {
        assertInstanceOf(MailboxReport.Unparsed.class, reader.read(sample("dsn-incomplete-not-ours.eml")));
        // Of ours by shape, but at another domain than mail.from's.
        assertInstanceOf(
                MailboxReport.Unparsed.class,
                new ReportReader(Optional.of("news.example.net"), false).read(sample("dsn-incomplete.eml")));
    }

    @Test
    void aDelayedDsnChangesNothing() {
        assertInstanceOf(MailboxReport.Ignored.class, reader.read(sample("dsn-delayed.eml")));
    }

    @Test
    void aFailedDsnWithATemporaryStatusChangesNothing() {
        assertInstanceOf(MailboxReport.Ignored.class, reader.read(sample("dsn-failed-4xx.eml")));
    }

    @Test
    void aFullMailboxOrAMessageRefusedForItsContentIsNoHardBounce() {
        MailboxReport report = reader.read(sample("dsn-mailbox-full.eml"));

        MailboxReport.Ignored ignored = assertInstanceOf(MailboxReport.Ignored.class, report);
        assertTrue(ignored.why().contains("5.2.2") && ignored.why().contains("5.7.1"), ignored.why());
    }

    @Test
    void addressGoneFollowsTheWorkersOwnTable() {
        for (String gone : List.of("5.1.1", "5.1.2", "5.1.10", "5.2.1", "5.1.6 (moved)")) {
            assertTrue(DeliveryStatusReport.addressGone(gone), gone);
        }
        for (String not : List.of("5.2.2", "5.1.7", "5.1.8", "5.7.1", "5.3.4", "4.1.1", "4.2.2", "", "x.1.1")) {
            assertTrue(!DeliveryStatusReport.addressGone(not), not);
        }
    }

    @Test
    void anAbuseReportIsAComplaintOfItsOriginalRecipient() {
        MailboxReport.Found complaint = onlyFound("arf-abuse.eml");

        assertEquals(SuppressionReason.COMPLAINT, complaint.reason());
        assertEquals(ReportSource.ARF, complaint.source());
        assertEquals("heidi@example.org", complaint.email().value());
        assertEquals("abuse; reported by SomeGenerator/1.0", complaint.diagnostic());
        assertTrue(complaint.commandId().startsWith("complaint-arf-"), complaint.commandId());
        assertEquals("arf-complaint", reader.read(sample("arf-abuse.eml")).kind());
    }

    @Test
    void anAbuseReportWithoutOriginalRcptToFindsTheSubscriberInTheReturnedMessageOfOurs() {
        assertEquals(
                "heidi@example.org",
                onlyFound("arf-abuse-recipient-in-returned-message.eml").email().value());
    }

    @Test
    void anAbuseReportWithTheRecipientRedactedIsUnparsed() {
        assertInstanceOf(MailboxReport.Unparsed.class, reader.read(sample("arf-abuse-redacted.eml")));
    }

    @Test
    void aFeedbackReportOtherThanAbuseChangesNothing() {
        MailboxReport report = reader.read(sample("arf-not-spam.eml"));
        assertEquals(
                "feedback type not-spam",
                assertInstanceOf(MailboxReport.Ignored.class, report).why());
    }

    @Test
    void whatIsNoReportIsUnparsed() {
        assertInstanceOf(MailboxReport.Unparsed.class, reader.read(sample("garbage.eml")));
        assertInstanceOf(MailboxReport.Unparsed.class, reader.read(sample("malformed-report.eml")));
        assertInstanceOf(MailboxReport.Unparsed.class, reader.read(new byte[0]));
        assertInstanceOf(MailboxReport.Unparsed.class, reader.read(new byte[] {(byte) 0xff, 0, 1, 2, '\n', '\n'}));
    }

    @Test
    void anOversizedMessageIsUnparsedUnread() {
        byte[] huge = new byte[ReportReader.MAX_MESSAGE_BYTES + 1];
        MailboxReport report = reader.read(huge);
        assertTrue(assertInstanceOf(MailboxReport.Unparsed.class, report).why().startsWith("oversized"));
    }

    @Test
    void aDeeplyNestedMessageIsUnparsedQuickly() {
        int depth = 20_000;
        StringBuilder mime = new StringBuilder("From: x@example.net\nMIME-Version: 1.0\n");
        for (int i = 0; i < depth; i++) {
            mime.append("Content-Type: multipart/report; report-type=delivery-status; boundary=\"b")
                    .append(i)
                    .append("\"\n\n--b")
                    .append(i)
                    .append('\n');
        }
        mime.append("Content-Type: message/delivery-status\n\nAction: failed\n");
        byte[] nested = mime.toString().getBytes(StandardCharsets.US_ASCII);

        MailboxReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> reader.read(nested));
        assertInstanceOf(MailboxReport.Unparsed.class, report, report::toString);
    }

    @Test
    void aReportOfThousandsOfPartsIsUnparsedWithoutSplittingThem() {
        StringBuilder mime = new StringBuilder(
                "From: x@example.net\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report;"
                        + " boundary=\"p\"\n\n");
        for (int i = 0; i < 50_000; i++) {
            mime.append("--p\n\n").append(i % 10).append('\n');
        }
        mime.append("--p--\n");
        byte[] message = mime.toString().getBytes(StandardCharsets.US_ASCII);
        assertTrue(message.length < ReportReader.MAX_MESSAGE_BYTES, "under the size limit: " + message.length);

        MailboxReport report = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> reader.read(message));
        assertInstanceOf(MailboxReport.Unparsed.class, report, report::toString);
    }
}
