package com.example.subscriptions.tracing;

import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.EmailSender;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/** A client span around each delivery attempt; the address only with {@code log.show-emails=true}. */
final class TracedEmailSender implements EmailSender {

    private final Tracer tracer;
    private final EmailSender sender;
    private final boolean showEmails;

    TracedEmailSender(Tracer tracer, EmailSender sender, boolean showEmails) {
        this.tracer = tracer;
        this.sender = sender;
        this.showEmails = showEmails;
    }

    @Override
    public void send(EmailDetails details, DeliveryId delivery) {
        SpanBuilder builder = tracer.spanBuilder("smtp send")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("email.count", details.count())
                .setAttribute("email.subscribed", details.subscribed());
        if (showEmails) {
            builder.setAttribute("email.to", details.email());
        }
        Span span = builder.startSpan();
        Scope scope = span.makeCurrent();
        try {
            sender.send(details, delivery);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            scope.close();
            span.end();
        }
    }
}
