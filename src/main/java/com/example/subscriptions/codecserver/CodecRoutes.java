package com.example.subscriptions.codecserver;

import com.example.subscriptions.http.RateLimit;
import com.example.subscriptions.http.Reply;
import com.example.subscriptions.http.Route;
import com.example.subscriptions.http.RouteRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Temporal's codec-server protocol for the Web UI and CLI: {@code POST /encode} and {@code POST /decode} take and
 * answer {@code {"payloads": [{"metadata": {name: base64}, "data": base64}]}} (the proto JSON of {@code Payloads}).
 * Each call needs {@code Authorization: Bearer <token>}, compared in constant time. The Web UI calls from the
 * browser, so the one configured origin gets CORS headers, preflight included; any other origin gets none, and the
 * browser keeps the answer from its page.
 */
public final class CodecRoutes {

    /** A page of history's payloads; a bigger body is refused with 413. */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    static final String ALLOWED_HEADERS = "authorization, content-type, x-namespace";
    private static final String JSON = "application/json";

    private final PayloadCodec codec;
    private final byte[] token;
    private final Optional<String> corsOrigin;

    /**
     * @param token the bearer token every call must carry
     * @param corsOrigin the Web UI's origin, e.g. {@code https://temporal.example.com}; empty: no CORS headers
     */
    public CodecRoutes(PayloadCodec codec, String token, Optional<String> corsOrigin) {
        this.codec = codec;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.corsOrigin = corsOrigin;
    }

    public List<Route> routes() {
        return List.of(route("encode", "/encode", codec::encode), route("decode", "/decode", codec::decode));
    }

    private Route route(String name, String path, UnaryOperator<List<io.temporal.api.common.v1.Payload>> coding) {
        return new Route(
                name,
                path,
                Set.of("POST", "OPTIONS"),
                MAX_BODY_BYTES,
                RateLimit.NONE,
                request -> CompletableFuture.completedFuture(answer(request, coding)));
    }

    private Reply answer(RouteRequest request, UnaryOperator<List<io.temporal.api.common.v1.Payload>> coding) {
        Map<String, String> cors = cors(request);
        if (request.method().equals("OPTIONS")) {
            return with(cors, Reply.text(cors.isEmpty() ? 403 : 204, "preflight", "text/plain", ""));
        }
        if (!authorised(request)) {
            return with(
                    cors,
                    Reply.text(401, "unauthorised", "text/plain; charset=utf-8", "Unauthorized")
                            .withHeader("WWW-Authenticate", "Bearer"));
        }
        try {
            Payloads.Builder payloads = Payloads.newBuilder();
            JsonFormat.parser()
                    .ignoringUnknownFields()
                    .merge(new String(request.body(), StandardCharsets.UTF_8), payloads);
            Payloads coded = Payloads.newBuilder()
                    .addAllPayloads(coding.apply(payloads.getPayloadsList()))
                    .build();
            return with(
                    cors, Reply.text(200, "coded", JSON, JsonFormat.printer().print(coded)));
        } catch (InvalidProtocolBufferException | PayloadCodecException e) {
            // The message says what failed (bad JSON, unknown key id, tampered payload), never a payload's content.
            return with(cors, Reply.text(400, "refused", "text/plain; charset=utf-8", e.getMessage()));
        }
    }

    private boolean authorised(RouteRequest request) {
        byte[] given = request.header("authorization").orElse("").getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private Map<String, String> cors(RouteRequest request) {
        Optional<String> origin = request.header("origin");
        if (corsOrigin.isEmpty() || origin.isEmpty() || !origin.get().equals(corsOrigin.get())) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", origin.get());
        headers.put("Access-Control-Allow-Methods", "POST, OPTIONS");
        headers.put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        headers.put("Access-Control-Allow-Credentials", "true");
        headers.put("Access-Control-Max-Age", "600");
        headers.put("Vary", "Origin");
        return headers;
    }

    private static Reply with(Map<String, String> headers, Reply reply) {
        Reply withHeaders = reply;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            withHeaders = withHeaders.withHeader(header.getKey(), header.getValue());
        }
        return withHeaders;
    }
}
