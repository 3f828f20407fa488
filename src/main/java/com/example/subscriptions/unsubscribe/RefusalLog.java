package com.example.subscriptions.unsubscribe;

import com.example.subscriptions.http.Reply;
import com.example.subscriptions.http.RouteRequest;
import com.example.subscriptions.mail.UnsubscribeTokens.Verification;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per refused link, but at most one a second: a flood of forged links from many addresses must not flood
 * the log too. Every refusal is counted in the metrics all the same; the line says how many it left out.
 */
final class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeRoute.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What the links are, as a line starts: "Unsubscribe link", "Confirm link". */
    private final String links;

    private long lastLineNanos;
    private boolean loggedOnce;
    private int notLogged;

    RefusalLog(String links) {
        this.links = links;
    }

    /** Logs a link whose token was refused, and answers it: 403 when forged, 400 when cut short or malformed. */
    CompletableFuture<Reply> answer(Verification.Refused refused, RouteRequest request) {
        refused(refused.problem().toString(), request.method(), request.client().getHostAddress(), System.nanoTime());
        boolean forged = refused.problem() == Verification.Problem.BAD_SIGNATURE;
        return CompletableFuture.completedFuture(
                Reply.html(
                        forged ? 403 : 400,
                        forged ? "forged_token" : "bad_token",
                        UnsubscribePages.refused(
                                "This " + links.toLowerCase(java.util.Locale.ROOT)
                                        + " is not valid: it may have been cut short or changed. Open the link from the email again.")));
    }

    synchronized void refused(String problem, String method, String client, long nowNanos) {
        if (loggedOnce && nowNanos - lastLineNanos < INTERVAL_NANOS) {
            notLogged++;
            return;
        }
        log.info(
                "{} refused ({}): {} {}{}",
                links,
                problem,
                method,
                client,
                notLogged == 0 ? "" : " (and " + notLogged + " more since the last line)");
        loggedOnce = true;
        lastLineNanos = nowNanos;
        notLogged = 0;
    }
}
