package com.example.subscriptions.workflow;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workflow code is forever: running subscriptions replay their histories on whatever worker code is deployed. Each
 * history here was recorded by {@link HistoryRecorder} from an earlier version of the workflow (the folder names the
 * version); the current code must replay every one without a non-determinism error.
 */
class SendEmailWorkflowReplayTest {

    @ParameterizedTest
    @ValueSource(strings = {"cancelled-while-sleeping", "cancelled-while-sending", "continued-as-new", "running"})
    void historiesOfTheFirstVersionStillReplay(String name) throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/v0/" + name + ".json", SendEmailWorkflowImpl.class);
    }

    /** Recorded with rejected-address-ends, timer-outlives-cancel and cancelled-by-in-memo all at version 1. */
    @ParameterizedTest
    @ValueSource(
            strings = {"cancelled-while-sleeping", "cancelled-while-sending", "continued-as-new", "running", "refused"})
    void historiesOfTheSecondVersionStillReplay(String name) throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/v1/" + name + ".json", SendEmailWorkflowImpl.class);
    }

    /**
     * Recorded with suppression-skips-goodbye and given-up-email-skipped at version 1 as well: a run ended by a bounce,
     * one that gave an email up and went on, one that gave three up in a row and ended.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "cancelled-while-sleeping",
                "cancelled-while-sending",
                "continued-as-new",
                "running",
                "refused",
                "bounced",
                "given-up",
                "given-up-thrice"
            })
    void historiesOfTheThirdVersionStillReplay(String name) throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/v2/" + name + ".json", SendEmailWorkflowImpl.class);
    }

    /**
     * Recorded with double-opt-in at version 1: a pending run confirmed (after a re-subscribe inside the resend
     * period) that sent its welcome, one that expired unconfirmed, one unsubscribed while pending.
     */
    @ParameterizedTest
    @ValueSource(strings = {"confirmed", "unconfirmed", "cancelled-while-pending"})
    void historiesOfDoubleOptInStillReplay(String name) throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/v3/" + name + ".json", SendEmailWorkflowImpl.class);
    }
}
