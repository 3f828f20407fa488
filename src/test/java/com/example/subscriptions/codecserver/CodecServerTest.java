package com.example.subscriptions.codecserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.http.ClientAddresses;
import com.example.subscriptions.http.HttpListener;
import com.example.subscriptions.http.HttpObserver;
import com.example.subscriptions.http.ListenerLimits;
import com.example.subscriptions.privacy.AesGcmPayloadCodec;
import com.example.subscriptions.privacy.KeyRing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The codec server as the Web UI meets it: a round trip, the bearer token, CORS for one origin, a size limit. */
class CodecServerTest {

    private static final String TOKEN = "codec-token-0123456789abcdef0123456789";
    private static final String UI = "http://localhost:8233";
    private static final String PLAIN = "{\"payloads\":[{\"metadata\":{\"encoding\":\"" + b64("json/plain")
            + "\"},\"data\":\"" + b64("{\"email\":\"bob@example.com\"}") + "\"}]}";

    private HttpListener listener;
    private final HttpClient http = HttpClient.newHttpClient();

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void start() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        CodecRoutes routes =
                new CodecRoutes(new AesGcmPayloadCodec(new KeyRing(Map.of("k1", key))), TOKEN, Optional.of(UI));
        listener = HttpListener.bind(
                        new ListenerLimits(
                                "codec",
                                Optional.of("127.0.0.1"),
                                0,
                                ListenerLimits.DEFAULT_HEADER_TIMEOUT,
                                ListenerLimits.DEFAULT_BODY_TIMEOUT,
                                ListenerLimits.DEFAULT_IDLE_TIMEOUT,
                                16,
                                4,
                                ListenerLimits.DEFAULT_MAX_HEADER_BYTES),
                        ClientAddresses.direct(),
                        HttpObserver.NONE)
                .serve(routes.routes());
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> authorised(String path, String body) throws Exception {
        return post(path, body, Map.of("Authorization", "Bearer " + TOKEN, "Origin", UI, "X-Namespace", "default"));
    }

    @Test
    void encodesAndDecodesBackWhatTheUiSends() throws Exception {
        HttpResponse<String> encoded = authorised("/encode", PLAIN);
        assertEquals(200, encoded.statusCode(), encoded.body());
        assertTrue(encoded.body().contains(b64("binary/encrypted")), encoded.body());
        assertFalse(encoded.body().contains(b64("{\"email\":\"bob@example.com\"}")), encoded.body());
        assertEquals(
                UI, encoded.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

        HttpResponse<String> decoded = authorised("/decode", encoded.body());
        assertEquals(200, decoded.statusCode(), decoded.body());
        assertEquals(PLAIN.replace(" ", ""), decoded.body().replaceAll("\\s", ""));
    }

    @Test
    void refusesWithoutTheToken() throws Exception {
        HttpResponse<String> none = post("/decode", PLAIN, Map.of("Origin", UI));
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(
                UI, none.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

        HttpResponse<String> wrong = post("/decode", PLAIN, Map.of("Authorization", "Bearer " + TOKEN + "x"));
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> basic = post("/encode", PLAIN, Map.of("Authorization", "Basic " + b64("a:" + TOKEN)));
        assertEquals(401, basic.statusCode());
    }

    @Test
    void answersTheWebUisPreflight() throws Exception {
        HttpResponse<String> preflight = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + "/decode"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", UI)
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "authorization, content-type, x-namespace")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertEquals(
                UI,
                preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals(
                "authorization, content-type, x-namespace",
                preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
        assertTrue(preflight
                .headers()
                .firstValue("Access-Control-Allow-Methods")
                .orElseThrow()
                .contains("POST"));
    }

    @Test
    void anotherOriginGetsNoCorsHeaders() throws Exception {
        HttpResponse<String> answer = post(
                "/decode", PLAIN, Map.of("Authorization", "Bearer " + TOKEN, "Origin", "https://evil.example.org"));
        assertTrue(answer.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        HttpResponse<String> preflight = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + "/decode"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://evil.example.org")
                        .header("Access-Control-Request-Method", "POST")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void refusesAnOversizedBodyAndATamperedPayload() throws Exception {
        String huge = "{\"payloads\":[{\"data\":\"" + "A".repeat(CodecRoutes.MAX_BODY_BYTES) + "\"}]}";
        assertEquals(413, authorised("/decode", huge).statusCode());

        var encoded =
                (com.fasterxml.jackson.databind.node.ObjectNode) com.example.subscriptions.core.Json.MAPPER.readTree(
                        authorised("/encode", PLAIN).body());
        var payload = (com.fasterxml.jackson.databind.node.ObjectNode)
                encoded.get("payloads").get(0);
        byte[] data = Base64.getDecoder().decode(payload.get("data").asText());
        data[data.length - 1] ^= 1;
        payload.put("data", Base64.getEncoder().encodeToString(data));
        HttpResponse<String> refused = authorised("/decode", encoded.toString());
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("failed authentication"), refused.body());
        assertEquals(400, authorised("/decode", "not json").statusCode());
    }
}
