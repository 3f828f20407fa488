package com.example.subscriptions.app;

import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the service's calls to Temporal and the bytes of their messages, by method, as metrics
 * ({@code subscriptions_temporal_calls_total{method}}, {@code subscriptions_temporal_bytes_total{method,direction}}):
 * what each command costs Temporal, measured where it is spent rather than inferred from latency. Bytes are the
 * serialized protobuf messages, without gRPC and HTTP/2 framing.
 */
public final class TemporalTraffic implements ClientInterceptor {

    private record Meters(Counter calls, Counter sent, Counter received) {}

    private final MeterRegistry registry;
    private final Map<String, Meters> byMethod = new ConcurrentHashMap<>();

    public TemporalTraffic(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        Meters meters = byMethod.computeIfAbsent(method.getBareMethodName(), this::register);
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                meters.calls().increment();
                super.start(
                        new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onMessage(R message) {
                                meters.received().increment(size(message));
                                super.onMessage(message);
                            }
                        },
                        headers);
            }

            @Override
            public void sendMessage(Q message) {
                meters.sent().increment(size(message));
                super.sendMessage(message);
            }
        };
    }

    private Meters register(String method) {
        return new Meters(
                Counter.builder("subscriptions.temporal.calls")
                        .description("Calls to Temporal, by gRPC method")
                        .tag("method", method)
                        .register(registry),
                bytes(method, "sent"),
                bytes(method, "received"));
    }

    private Counter bytes(String method, String direction) {
        return Counter.builder("subscriptions.temporal.bytes")
                .description("Bytes of the messages of the calls to Temporal (protobuf, without framing)")
                .baseUnit("bytes")
                .tag("method", method)
                .tag("direction", direction)
                .register(registry);
    }

    private static int size(Object message) {
        return message instanceof MessageLite protobuf ? protobuf.getSerializedSize() : 0;
    }
}
