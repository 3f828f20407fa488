package com.example.subscriptions.webhooks;

import com.example.subscriptions.core.Futures;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Checks that SNS signed a message: its SigningCertURL is one of SNS's, the certificate there is valid today, and its
 * key verifies the signature over the message's signed fields (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA).
 * Certificates are fetched once and kept: SNS signs with few, and a forged message must not make us fetch again.
 */
final class SnsSignatures {

    /** Certificates kept at most; SNS uses one or two per region. Past this, the least recently used goes. */
    static final int MAX_CERTIFICATES = 64;
    /**
     * Certificates not yet kept that one client may have fetched per minute at most. A forger who knows an allowed
     * topic could name a new certificate in every request; past this budget such a request is answered 503 without a
     * fetch. Per client, so that a forger cannot spend the budget of SNS's own deliveries.
     */
    static final int MAX_FETCHES_PER_MINUTE = 10;
    /** Clients whose budget is remembered at most; the least recently seen are forgotten first. */
    static final int MAX_CLIENTS = 10_000;

    /** What the check found. */
    sealed interface Verdict {
        record Signed() implements Verdict {}

        /** Not SNS's signature, or not a URL of SNS's: a 4xx. */
        record Refused(String problem) implements Verdict {}

        /** The certificate could not be fetched just now: a 503, so SNS sends the message again later. */
        record Unavailable(String why) implements Verdict {}
    }

    private final SnsHosts hosts;
    private final UrlFetcher fetcher;
    private final LongSupplier nanoTime;
    private final Map<URI, CompletableFuture<X509Certificate>> certificates = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<URI, CompletableFuture<X509Certificate>> eldest) {
            return size() > MAX_CERTIFICATES;
        }
    };
    /** Per client: the start of its budget's minute and the fetches in it. */
    private final Map<String, long[]> budgets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    SnsSignatures(SnsHosts hosts, UrlFetcher fetcher) {
        this(hosts, fetcher, System::nanoTime);
    }

    SnsSignatures(SnsHosts hosts, UrlFetcher fetcher, LongSupplier nanoTime) {
        this.hosts = hosts;
        this.fetcher = fetcher;
        this.nanoTime = nanoTime;
    }

    /** @param client who sent the message, whose budget a certificate not yet kept is fetched on */
    CompletableFuture<Verdict> verify(SnsMessage message, String client) {
        Optional<String> algorithm = switch (message.signatureVersion()) {
            case "1" -> Optional.of("SHA1withRSA");
            case "2" -> Optional.of("SHA256withRSA");
            default -> Optional.empty();
        };
        if (algorithm.isEmpty()) {
            return refused("unknown_signature_version");
        }
        Optional<URI> certificateUrl = SnsHosts.parse(message.signingCertUrl(), true, hosts);
        if (certificateUrl.isEmpty()) {
            return refused("certificate_url_not_sns");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(message.signature());
        } catch (IllegalArgumentException e) {
            return refused("bad_signature");
        }
        return certificate(certificateUrl.get(), client).handle((certificate, error) -> {
            if (error != null) {
                Throwable cause = Futures.cause(error);
                return cause instanceof UrlFetcher.Refused || cause instanceof GeneralSecurityException
                        ? new Verdict.Refused("certificate_refused")
                        : new Verdict.Unavailable(cause.toString());
            }
            return signs(certificate, algorithm.get(), message.stringToSign(), signature)
                    ? new Verdict.Signed()
                    : new Verdict.Refused("bad_signature");
        });
    }

    private static boolean signs(X509Certificate certificate, String algorithm, String text, byte[] signature) {
        try {
            certificate.checkValidity();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(text.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private CompletableFuture<X509Certificate> certificate(URI url, String client) {
        CompletableFuture<X509Certificate> certificate;
        synchronized (certificates) {
            certificate = certificates.get(url);
            if (certificate == null) {
                certificate = mayFetch(client)
                        ? fetcher.get(url).thenApply(SnsSignatures::parse)
                        : CompletableFuture.failedFuture(new FetchBudgetSpent());
                certificates.put(url, certificate);
            }
        }
        // A failure is not kept: the next message tries again.
        CompletableFuture<X509Certificate> kept = certificate;
        kept.whenComplete((ok, error) -> {
            if (error != null) {
                synchronized (certificates) {
                    certificates.remove(url, kept);
                }
            }
        });
        return kept;
    }

    private boolean mayFetch(String client) {
        long now = nanoTime.getAsLong();
        long[] budget = budgets.computeIfAbsent(client, c -> new long[] {now, 0});
        if (now - budget[0] >= TimeUnit.MINUTES.toNanos(1)) {
            budget[0] = now;
            budget[1] = 0;
        }
        return budget[1]++ < MAX_FETCHES_PER_MINUTE;
    }

    /** More new certificates asked for this minute than SNS ever needs. */
    static final class FetchBudgetSpent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FetchBudgetSpent() {
            super("certificate fetch budget spent for this minute", null, false, false);
        }
    }

    private static X509Certificate parse(byte[] pem) {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        } catch (GeneralSecurityException e) {
            throw new UrlFetcher.Refused("not an X.509 certificate: " + e.getMessage());
        }
    }

    private static CompletableFuture<Verdict> refused(String problem) {
        return CompletableFuture.completedFuture(new Verdict.Refused(problem));
    }
}
