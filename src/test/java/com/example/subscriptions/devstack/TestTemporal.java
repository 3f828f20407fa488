package com.example.subscriptions.devstack;

/** The Temporal service of the integration tests: one {@link EmbeddedTemporal} per JVM, started on first use. */
public final class TestTemporal {

    private static EmbeddedTemporal server;

    private TestTemporal() {}

    public static synchronized String address() {
        if (server == null) {
            server = EmbeddedTemporal.start(0);
            EmbeddedTemporal started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-temporal-stop"));
        }
        return server.address();
    }
}
