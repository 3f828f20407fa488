package com.example.subscriptions.app;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.TemporalSettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;

/** The connection to Temporal, configured as Temporal's own clients are: plain, TLS, mTLS or API key. */
public final class TemporalConnection implements AutoCloseable {

    private final WorkflowServiceStubs service;
    private final WorkflowClient client;

    private TemporalConnection(
            WorkflowServiceStubs service,
            String namespace,
            Optional<DataConverter> dataConverter,
            WorkflowClientInterceptor[] interceptors) {
        this.service = service;
        WorkflowClientOptions.Builder options =
                WorkflowClientOptions.newBuilder().setNamespace(namespace).setInterceptors(interceptors);
        dataConverter.ifPresent(options::setDataConverter);
        this.client = WorkflowClient.newInstance(service, options.build());
    }

    /** Connects lazily, with the SDK's default data converter (the tutorial's readable payloads). */
    public static TemporalConnection open(
            TemporalSettings settings, com.uber.m3.tally.Scope metrics, io.grpc.ClientInterceptor traffic) {
        return open(settings, Optional.empty(), metrics, traffic, new WorkflowClientInterceptor[0]);
    }

    /**
     * Connects lazily: the first call reaches the server, so a service can start before Temporal does. The client's
     * data converter (privacy mode's encryption, when given) is the one of every worker built on it too.
     *
     * @param interceptors of the client's calls, e.g. tracing's
     */
    public static TemporalConnection open(
            TemporalSettings settings,
            Optional<DataConverter> dataConverter,
            com.uber.m3.tally.Scope metrics,
            io.grpc.ClientInterceptor traffic,
            WorkflowClientInterceptor[] interceptors) {
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
                .setTarget(settings.address())
                .setMetricsScope(metrics)
                .addGrpcClientInterceptor(traffic);
        settings.apiKey().ifPresent(key -> options.addApiKey(() -> key).setEnableHttps(true));
        if (settings.tls() || settings.tlsCertFile().isPresent()) {
            options.setSslContext(sslContext(settings));
        }
        settings.tlsServerName()
                .ifPresent(name -> options.setChannelInitializer(channel -> channel.overrideAuthority(name)));
        return new TemporalConnection(
                WorkflowServiceStubs.newServiceStubs(options.build()),
                settings.namespace(),
                dataConverter,
                interceptors);
    }

    public WorkflowClient client() {
        return client;
    }

    public WorkflowServiceStubs service() {
        return service;
    }

    /** True when the frontend answers within the timeout. */
    boolean reachable(java.time.Duration timeout) {
        try {
            service.blockingStub()
                    .withDeadlineAfter(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .getSystemInfo(io.temporal.api.workflowservice.v1.GetSystemInfoRequest.getDefaultInstance());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(TemporalSettings settings) {
        try {
            SimpleSslContextBuilder builder;
            if (settings.tlsCertFile().isPresent() != settings.tlsKeyFile().isPresent()) {
                throw new ConfigException("Settings 'temporal.tls.cert-file' and 'temporal.tls.key-file' go together"
                        + " (mTLS): set both or neither");
            }
            if (settings.tlsCertFile().isPresent()) {
                try (InputStream cert =
                                Files.newInputStream(settings.tlsCertFile().get());
                        InputStream key =
                                Files.newInputStream(settings.tlsKeyFile().get())) {
                    builder = SimpleSslContextBuilder.forPKCS8(cert, key);
                }
            } else {
                builder = SimpleSslContextBuilder.noKeyOrCertChain();
            }
            if (settings.tlsCaFile().isPresent()) {
                builder.setTrustManager(
                        trustManagerFactory(settings.tlsCaFile().get()).getTrustManagers()[0]);
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("Cannot set up TLS for Temporal from 'temporal.tls.*' files: " + e.getMessage());
        }
    }

    private static TrustManagerFactory trustManagerFactory(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, (X509Certificate) certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory;
    }

    @Override
    public void close() {
        service.shutdown();
        service.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
}
