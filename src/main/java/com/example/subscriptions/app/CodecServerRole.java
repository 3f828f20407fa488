package com.example.subscriptions.app;

import com.example.subscriptions.codecserver.CodecRoutes;
import com.example.subscriptions.config.CodecServerSettings;
import com.example.subscriptions.http.ClientAddresses;
import com.example.subscriptions.http.HttpListener;
import com.example.subscriptions.http.ListenerLimits;
import com.example.subscriptions.privacy.AesGcmPayloadCodec;
import com.example.subscriptions.privacy.KeyRing;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The codec server of privacy mode, on a port of its own, when {@code codec-server.port} is set. */
final class CodecServerRole {

    private static final Logger log = LoggerFactory.getLogger(CodecServerRole.class);

    private CodecServerRole() {}

    static Optional<HttpListener> start(Wiring wiring) {
        CodecServerSettings settings = wiring.settings.codecServer();
        if (settings.port().isEmpty()) {
            return Optional.empty();
        }
        ListenerLimits limits = new ListenerLimits(
                "codec",
                settings.bindAddress(),
                settings.port().get(),
                ListenerLimits.DEFAULT_HEADER_TIMEOUT,
                ListenerLimits.DEFAULT_BODY_TIMEOUT,
                ListenerLimits.DEFAULT_IDLE_TIMEOUT,
                64,
                8,
                ListenerLimits.DEFAULT_MAX_HEADER_BYTES);
        CodecRoutes routes = new CodecRoutes(
                new AesGcmPayloadCodec(new KeyRing(wiring.settings.privacy().payloadKeys())),
                settings.token(),
                settings.corsOrigin());
        HttpListener listener =
                wiring.onStop(HttpListener.bind(limits, ClientAddresses.direct(), wiring.metrics.http("codec"))
                        .serve(routes.routes()));
        log.info(
                "Codec server on port {} (POST /encode, /decode), CORS for {}",
                listener.port(),
                settings.corsOrigin().orElse("no origin"));
        return Optional.of(listener);
    }
}
