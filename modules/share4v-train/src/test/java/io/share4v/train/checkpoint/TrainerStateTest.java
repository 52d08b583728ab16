package io.share4v.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.io.CheckpointException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerStateTest {
    private static final String CONFIG = "stage: finetune\nlr: 2.0e-5\nglobal_batch: 128\n";
    private static final TrainerState STATE =
            new TrainerState(123, 15_744, Map.of("init", 42L, "data", Long.MIN_VALUE), CONFIG, "0123abcd", 4, 3600.25);

    @Test
    void jsonRoundTripKeepsEveryField() {
        String json = STATE.toJson();
        assertEquals(STATE, TrainerState.fromJson(json, "trainer_state.json"));
        assertTrue(json.contains("\"next_row\" : 15744"), json);
    }

    @Test
    void aDifferentConfigIsAnErrorNamingBothLines() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> STATE.checkResume(CONFIG.replace("2.0e-5", "1.0e-5"), 4));
        assertTrue(
                e.getMessage().contains("line 2: checkpoint \"lr: 2.0e-5\", this run \"lr: 1.0e-5\""), e.getMessage());
        IllegalStateException shorter =
                assertThrows(IllegalStateException.class, () -> STATE.checkResume("stage: finetune\n", 4));
        assertTrue(
                shorter.getMessage().contains("line 2: checkpoint \"lr: 2.0e-5\", this run \"\""),
                shorter.getMessage());
    }

    @Test
    void aDifferentWorldSizeIsAReshardThatTheResumeReports() {
        TrainerState.Resume same = STATE.checkResume(CONFIG, 4);
        assertFalse(same.reshards());
        assertEquals("resuming after step 123 at row 15744", same.describe());
        TrainerState.Resume reshard = STATE.checkResume(CONFIG, 2);
        assertTrue(reshard.reshards());
        assertEquals(
                "resuming after step 123 at row 15744, re-sharding the optimizer state from 4 to 2 ranks",
                reshard.describe());
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndKey() {
        String unknownKey = STATE.toJson().replace("\"step\"", "\"steps\"");
        CheckpointException e1 = assertThrows(
                CheckpointException.class, () -> TrainerState.fromJson(unknownKey, "ck/trainer_state.json"));
        assertTrue(e1.getMessage().startsWith("ck/trainer_state.json: unknown key 'steps'"), e1.getMessage());

        String future = STATE.toJson().replace("\"format_version\" : 1", "\"format_version\" : 2");
        CheckpointException e2 =
                assertThrows(CheckpointException.class, () -> TrainerState.fromJson(future, "ck/trainer_state.json"));
        assertTrue(e2.getMessage().contains("\"format_version\" = 2: this build reads version 1"), e2.getMessage());

        String negative = STATE.toJson().replace("\"world_size\" : 4", "\"world_size\" : 0");
        CheckpointException e3 =
                assertThrows(CheckpointException.class, () -> TrainerState.fromJson(negative, "ck/trainer_state.json"));
        assertTrue(
                e3.getMessage().contains("ck/trainer_state.json: world_size = 0 is invalid: expected >= 1"),
                e3.getMessage());
    }

    @Test
    void constructionChecksEveryValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new TrainerState(-1, 0, Map.of(), CONFIG, "unknown", 1, 0));
        assertEquals("step = -1 is invalid: expected >= 0", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new TrainerState(1, 0, Map.of(), CONFIG, "unknown", 1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new TrainerState(1, 0, Map.of(), CONFIG, " ", 1, 0));
    }
}
