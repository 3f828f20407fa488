package com.example.subscriptions.tracing;

import io.opentracing.Tracer;
import io.temporal.opentracing.SpanBuilderProvider;
import io.temporal.opentracing.SpanCreationContext;
import io.temporal.opentracing.StandardTagNames;

/**
 * Temporal's span names ({@code StartWorkflow:SendEmailWorkflow}, {@code RunActivity:send_email}...) and tags, except
 * that the workflow id, which is the subscriber's address, is a tag only with {@code log.show-emails=true}.
 */
final class TemporalSpanNames implements SpanBuilderProvider {

    private final boolean showEmails;

    TemporalSpanNames(boolean showEmails) {
        this.showEmails = showEmails;
    }

    @Override
    public Tracer.SpanBuilder createSpanBuilder(Tracer tracer, SpanCreationContext context) {
        Tracer.SpanBuilder builder =
                tracer.buildSpan(context.getSpanOperationType().getDefaultPrefix() + ":" + context.getActionName());
        if (context.getRunId() != null) {
            builder.withTag(StandardTagNames.RUN_ID, context.getRunId());
        }
        if (context.getActivityId() != null) {
            builder.withTag(StandardTagNames.ACTIVITY_ID, context.getActivityId());
        }
        if (showEmails && context.getWorkflowId() != null) {
            builder.withTag(StandardTagNames.WORKFLOW_ID, context.getWorkflowId());
        }
        return builder;
    }
}
