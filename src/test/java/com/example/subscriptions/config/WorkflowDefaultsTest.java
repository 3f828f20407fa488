package com.example.subscriptions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.example.subscriptions.workflow.SubscriptionInput;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code config} may not import {@code workflow}, so the defaults both know are written twice: in
 * {@link Settings#DEFAULTS} (and {@code config/application.properties}) and beside the workflow. This holds them
 * together: a service with default settings starts the workflows the tutorial's client would.
 */
class WorkflowDefaultsTest {

    private final Settings defaults = Settings.of(Map.of());

    @Test
    void theTaskQueueAndWorkflowTypeAreTheWorkflowsOwn() {
        assertEquals(SendEmailWorkflow.DEFAULT_TASK_QUEUE, defaults.temporal().taskQueue());
        assertEquals(SendEmailWorkflow.TYPE, defaults.temporal().workflowType());
    }

    @Test
    void theIntervalAndEmailsPerRunAreWhatTheWorkflowAssumesWhenItsInputLeavesThemOut() {
        assertEquals(SubscriptionInput.DEFAULT_INTERVAL, defaults.commands().interval());
        assertEquals(
                SubscriptionInput.DEFAULT_EMAILS_PER_RUN, defaults.commands().emailsPerRun());
    }
}
