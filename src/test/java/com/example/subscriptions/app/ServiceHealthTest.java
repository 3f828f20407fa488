package com.example.subscriptions.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.core.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** How the probes' answers are made of the consumer loops and the services they reach. */
class ServiceHealthTest {

    /** A consumer loop as health reads it, set by the test. */
    private record Loop(String name, boolean running, boolean member, boolean stalled)
            implements ServiceHealth.Consumer {}

    private static final Loop COMMANDS = new Loop("commands", true, true, false);
    private static final Loop RESPONDER = new Loop("responder", true, true, false);

    private static ServiceHealth health(boolean temporal, Optional<Boolean> kafka, Loop... loops) {
        return new ServiceHealth(timeout -> temporal, kafka.map(up -> timeout -> up), List.of(loops), Map.of());
    }

    @Test
    void aConditionARoleAddsIsACheckOfItsOwn() {
        boolean[] loaded = {false};
        ServiceHealth health = new ServiceHealth(
                timeout -> true,
                Optional.of(timeout -> true),
                List.of(COMMANDS),
                Map.of("suppressions", () -> loaded[0]));

        assertEquals(false, health.readiness().checks().get("suppressions"));
        assertFalse(health.readiness().up(), "not ready until the suppression list is read");
        loaded[0] = true;
        assertTrue(health.readiness().up());
        assertTrue(health.liveness().up(), "a condition of readiness says nothing of liveness");
    }

    @Test
    void aPublicListenerThatCannotAcceptTurnsItsOwnCheckDown() {
        AtomicBoolean accepting = new AtomicBoolean(true);
        ServiceHealth health = new ServiceHealth(
                timeout -> true,
                Optional.of(timeout -> true),
                List.of(),
                Map.of("unsubscribe-listener", accepting::get));

        assertEquals(
                Map.of("temporal", true, "kafka", true, "unsubscribe-listener", true),
                health.readiness().checks());
        accepting.set(false);
        assertEquals(
                Map.of("temporal", true, "kafka", true, "unsubscribe-listener", false),
                health.readiness().checks());
        assertTrue(health.liveness().up(), "liveness does not hang on the public listener");
    }

    @Test
    void readyWhenTemporalAndKafkaAnswerAndEveryLoopIsAMemberMakingProgress() {
        Health ready = health(true, Optional.of(true), COMMANDS, RESPONDER).readiness();

        assertTrue(ready.up());
        assertEquals(
                Map.of(
                        "temporal", true,
                        "kafka", true,
                        "commands", true,
                        "commands-progress", true,
                        "responder", true,
                        "responder-progress", true),
                ready.checks());
    }

    @Test
    void eachThingThatIsWrongTurnsItsOwnCheckDown() {
        assertEquals(
                Map.of("temporal", false, "kafka", true, "commands", true, "commands-progress", true),
                health(false, Optional.of(true), COMMANDS).readiness().checks());
        assertEquals(
                Map.of("temporal", true, "kafka", false, "commands", true, "commands-progress", true),
                health(true, Optional.of(false), COMMANDS).readiness().checks());
        assertEquals(
                Map.of("temporal", true, "kafka", true, "commands", false, "commands-progress", true),
                health(true, Optional.of(true), new Loop("commands", true, false, false))
                        .readiness()
                        .checks());
        assertEquals(
                Map.of("temporal", true, "kafka", true, "commands", true, "commands-progress", false),
                health(true, Optional.of(true), new Loop("commands", true, true, true))
                        .readiness()
                        .checks());
        assertEquals(
                Map.of("temporal", true, "kafka", true, "commands", false, "commands-progress", true),
                health(true, Optional.of(true), new Loop("commands", false, true, false))
                        .readiness()
                        .checks());
    }

    @Test
    void aWorkerAloneIsReadyWithTemporalAndHasNoKafkaCheck() {
        Health ready = health(true, Optional.empty()).readiness();

        assertEquals(Map.of("temporal", true), ready.checks());
        assertTrue(ready.up());
        assertTrue(health(true, Optional.empty()).liveness().up(), "nothing to run is alive");
    }

    @Test
    void aliveWhileEveryLoopRunsWhateverTheServicesItReaches() {
        assertTrue(health(false, Optional.of(false), COMMANDS).liveness().up());
        Health dead = health(true, Optional.of(true), COMMANDS, new Loop("responder", false, false, false))
                .liveness();
        assertFalse(dead.up());
        assertEquals(Map.of("commands", true, "responder", false), dead.checks());
    }

    @Test
    void theAnswerNamesEveryCheckUpOrDown() throws Exception {
        String json = health(true, Optional.of(false), COMMANDS).readiness().toJson();

        assertEquals(
                Json.MAPPER.readTree("{\"status\":\"DOWN\",\"checks\":{\"temporal\":\"UP\",\"kafka\":\"DOWN\","
                        + "\"commands\":\"UP\",\"commands-progress\":\"UP\"}}"),
                Json.MAPPER.readTree(json));
    }
}
