package com.example.subscriptions.http;

/** What a listener tells its metrics: every answer, every connection turned away, every timeout. */
public interface HttpObserver {

    /** Why a listener cut a connection or a request short. */
    enum Timeout {
        /** The request line and headers did not all arrive in time (also: a keep-alive connection left idle). */
        HEADER,
        /** The body did not all arrive in time. */
        BODY
    }

    /**
     * @param route the route's name, or {@link #UNROUTED} when no route took the request
     * @param outcome what became of it, in a word the route or the listener chose (e.g. {@code published})
     */
    void answered(String route, int status, String outcome);

    void connectionRejected();

    void timedOut(Timeout timeout);

    String UNROUTED = "none";

    HttpObserver NONE = new HttpObserver() {
        @Override
        public void answered(String route, int status, String outcome) {}

        @Override
        public void connectionRejected() {}

        @Override
        public void timedOut(Timeout timeout) {}
    };
}
