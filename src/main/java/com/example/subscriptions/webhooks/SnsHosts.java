package com.example.subscriptions.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which URLs in an SNS message may be fetched: its SigningCertURL and its SubscribeURL. A message names them itself,
 * so without this check anyone could have the service trust their certificate, or call their server.
 *
 * @param host the whole host name must match
 * @param schemes {@code https} for Amazon; a test's stub may be plain {@code http}
 */
public record SnsHosts(Pattern host, Set<String> schemes) {

    /**
     * SNS's own endpoints, in every region, China's included. The region must look like one ({@code eu-west-1},
     * {@code us-gov-east-1}): a looser pattern would take S3's names for a bucket called {@code sns}
     * ({@code sns.s3.amazonaws.com}), whose owner could then sign any message.
     */
    public static final SnsHosts AMAZON =
            new SnsHosts(Pattern.compile("sns\\.[a-z]{2}(-[a-z]+)+-[0-9]+\\.amazonaws\\.com(\\.cn)?"), Set.of("https"));

    /** The names SNS gives its signing certificates; no query or fragment, so one certificate has one URL. */
    private static final Pattern CERTIFICATE_PATH = Pattern.compile("/SimpleNotificationService-[A-Za-z0-9]+\\.pem");

    public SnsHosts {
        schemes = Set.copyOf(schemes);
    }

    /** Where SNS keeps its signing certificates: one of its hosts, {@code /SimpleNotificationService-<id>.pem}. */
    boolean allowsCertificate(URI url) {
        return allows(url)
                && url.getRawPath() != null
                && CERTIFICATE_PATH.matcher(url.getRawPath()).matches()
                && url.getRawQuery() == null
                && url.getRawFragment() == null;
    }

    boolean allows(URI url) {
        return url.isAbsolute()
                && !url.isOpaque()
                && url.getScheme() != null
                && schemes.contains(url.getScheme().toLowerCase(Locale.ROOT))
                && url.getRawUserInfo() == null
                && url.getHost() != null
                && host.matcher(url.getHost().toLowerCase(Locale.ROOT)).matches();
    }

    /** The URL, if it parses and is allowed. */
    static Optional<URI> parse(String text, boolean certificate, SnsHosts hosts) {
        try {
            URI url = new URI(text);
            return (certificate ? hosts.allowsCertificate(url) : hosts.allows(url))
                    ? Optional.of(url)
                    : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
