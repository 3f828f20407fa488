package com.example.subscriptions.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnsSignaturesTest {

    private static final String CERT_URL =
            "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem";
    private static final TestCertificate CERTIFICATE = TestCertificate.create();
    /** Where SNS's own deliveries come from in these tests. */
    private static final String CLIENT = "54.240.197.1";

    private final AtomicInteger fetches = new AtomicInteger();
    private final UrlFetcher fetcher = url -> {
        fetches.incrementAndGet();
        return url.toString().equals(CERT_URL)
                ? CompletableFuture.completedFuture(CERTIFICATE.pem())
                : CompletableFuture.failedFuture(new UrlFetcher.Refused("404"));
    };
    private final SnsSignatures signatures = new SnsSignatures(SnsHosts.AMAZON, fetcher);
    private final SnsTestMessages messages = new SnsTestMessages(CERTIFICATE, CERT_URL);

    private SnsSignatures.Verdict verify(ObjectNode json) throws Exception {
        return signatures.verify(SnsMessage.parse(json), CLIENT).get();
    }

    private static String bounce() {
        return SnsTestMessages.permanentBounce(Map.of("bob@example.com", "smtp; 550 5.1.1 user unknown"));
    }

    @ParameterizedTest(name = "SignatureVersion {0}")
    @ValueSource(strings = {"1", "2"})
    void aNotificationSignedBySnsChecksOut(String version) throws Exception {
        assertInstanceOf(SnsSignatures.Verdict.Signed.class, verify(messages.notification(bounce(), version)));
    }

    @Test
    void aNotificationWithASubjectSignsTheSubjectToo() throws Exception {
        ObjectNode json = messages.notification(bounce(), "2");
        json.put("Subject", "Amazon SES Email Event Notification");
        messages.sign(json);
        assertInstanceOf(SnsSignatures.Verdict.Signed.class, verify(json));

        json.put("Subject", "changed");
        assertEquals(new SnsSignatures.Verdict.Refused("bad_signature"), verify(json));
    }

    @Test
    void aSubscriptionConfirmationSignedBySnsChecksOut() throws Exception {
        assertInstanceOf(
                SnsSignatures.Verdict.Signed.class,
                verify(messages.subscriptionConfirmation(
                        "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=x")));
    }

    @ParameterizedTest(name = "{0} changed after signing")
    @ValueSource(strings = {"Message", "MessageId", "Timestamp", "TopicArn"})
    void aTamperedFieldIsRefused(String field) throws Exception {
        ObjectNode json = messages.notification(bounce(), "2");
        json.put(field, json.get(field).asText() + "x");
        assertEquals(new SnsSignatures.Verdict.Refused("bad_signature"), verify(json));
    }

    @Test
    void aTamperedSubscribeUrlIsRefused() throws Exception {
        ObjectNode json = messages.subscriptionConfirmation("https://sns.eu-west-1.amazonaws.com/?Action=Confirm");
        json.put("SubscribeURL", "https://sns.eu-west-1.amazonaws.com/?Action=Confirm&Other=1");
        assertEquals(new SnsSignatures.Verdict.Refused("bad_signature"), verify(json));
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        ObjectNode json = new SnsTestMessages(TestCertificate.create(), CERT_URL).notification(bounce(), "2");
        assertEquals(new SnsSignatures.Verdict.Refused("bad_signature"), verify(json));
    }

    @Test
    void aVersion1SignatureClaimingVersion2IsRefused() throws Exception {
        ObjectNode json = messages.notification(bounce(), "1");
        json.put("SignatureVersion", "2");
        assertEquals(new SnsSignatures.Verdict.Refused("bad_signature"), verify(json));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem",
                "https://evil.example/sns.eu-west-1.amazonaws.com/cert.pem",
                "https://sns.eu-west-1.amazonaws.com@evil.example/cert.pem",
                "https://evil-sns.eu-west-1.amazonaws.com/cert.pem",
                "https://s3.amazonaws.com/cert.pem",
                "http://sns.eu-west-1.amazonaws.com/cert.pem",
                "https://sns.eu-west-1.amazonaws.com/cert.txt",
                "https://sns.eu-west-1.amazonaws.com/cert.pem",
                "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123.pem?x=1",
                "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123.pem#x",
                "https://sns.s3.amazonaws.com/SimpleNotificationService-0123.pem",
                "https://sns.s3-us-west-2.amazonaws.com/SimpleNotificationService-0123.pem",
                "https://sns.s3.us-west-2.amazonaws.com/SimpleNotificationService-0123.pem",
                "file:///etc/ssl/cert.pem",
                "not a url"
            })
    void aCertificateUrlThatIsNotSnssIsRefusedWithoutFetchingIt(String url) throws Exception {
        ObjectNode json = messages.notification(bounce(), "2");
        json.put("SigningCertURL", url);
        messages.sign(json);
        assertEquals(new SnsSignatures.Verdict.Refused("certificate_url_not_sns"), verify(json));
        assertEquals(0, fetches.get());
    }

    @Test
    void chinasSnsHostsAreSnss() {
        assertEquals(
                true,
                SnsHosts.AMAZON.allowsCertificate(
                        URI.create("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-c.pem")));
    }

    @Test
    void anUnknownSignatureVersionIsRefused() throws Exception {
        ObjectNode json = messages.notification(bounce(), "2");
        json.put("SignatureVersion", "3");
        assertEquals(new SnsSignatures.Verdict.Refused("unknown_signature_version"), verify(json));
    }

    @Test
    void theCertificateIsFetchedOnceForManyMessages() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(SnsSignatures.Verdict.Signed.class, verify(messages.notification(bounce(), "2")));
        }
        assertEquals(1, fetches.get());
    }

    @Test
    void aCertificateSnsDoesNotHaveIsRefusedAndAnUnreachableOneIsUnavailable() throws Exception {
        String missing = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-missing.pem";
        ObjectNode json = new SnsTestMessages(CERTIFICATE, missing).notification(bounce(), "2");
        assertEquals(new SnsSignatures.Verdict.Refused("certificate_refused"), verify(json));

        SnsSignatures unreachable = new SnsSignatures(
                SnsHosts.AMAZON, url -> CompletableFuture.failedFuture(new java.net.ConnectException("refused")));
        assertInstanceOf(
                SnsSignatures.Verdict.Unavailable.class,
                unreachable
                        .verify(SnsMessage.parse(messages.notification(bounce(), "2")), CLIENT)
                        .get());
    }

    @Test
    void anExpiredCertificateSignsNothing() throws Exception {
        TestCertificate expired =
                TestCertificate.create("sns.amazonaws.com", Instant.now().minusSeconds(60));
        SnsSignatures withExpired =
                new SnsSignatures(SnsHosts.AMAZON, url -> CompletableFuture.completedFuture(expired.pem()));
        ObjectNode json = new SnsTestMessages(expired, CERT_URL).notification(bounce(), "2");
        assertEquals(
                new SnsSignatures.Verdict.Refused("bad_signature"),
                withExpired.verify(SnsMessage.parse(json), CLIENT).get());
    }

    @Test
    void newCertificateUrlsPastAClientsBudgetAreUnavailableWithoutAFetchAndOtherClientsAreServed() throws Exception {
        long[] now = {0};
        SnsSignatures budgeted = new SnsSignatures(SnsHosts.AMAZON, fetcher, () -> now[0]);
        for (int i = 0; i < SnsSignatures.MAX_FETCHES_PER_MINUTE; i++) {
            ObjectNode json = new SnsTestMessages(
                            CERTIFICATE,
                            "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-forged" + i + ".pem")
                    .notification(bounce(), "2");
            assertEquals(
                    new SnsSignatures.Verdict.Refused("certificate_refused"),
                    budgeted.verify(SnsMessage.parse(json), "203.0.113.9").get());
        }
        assertEquals(SnsSignatures.MAX_FETCHES_PER_MINUTE, fetches.get());

        ObjectNode real = messages.notification(bounce(), "2");
        assertInstanceOf(
                SnsSignatures.Verdict.Unavailable.class,
                budgeted.verify(SnsMessage.parse(real), "203.0.113.9").get());
        assertEquals(SnsSignatures.MAX_FETCHES_PER_MINUTE, fetches.get(), "nothing fetched past the budget");

        // The forger's spent budget is not SNS's: its own delivery is fetched and verified meanwhile.
        assertInstanceOf(
                SnsSignatures.Verdict.Signed.class,
                budgeted.verify(SnsMessage.parse(real), CLIENT).get());

        now[0] += java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        ObjectNode forged = new SnsTestMessages(
                        CERTIFICATE, "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-again.pem")
                .notification(bounce(), "2");
        assertEquals(
                new SnsSignatures.Verdict.Refused("certificate_refused"),
                budgeted.verify(SnsMessage.parse(forged), "203.0.113.9").get());
    }
}
