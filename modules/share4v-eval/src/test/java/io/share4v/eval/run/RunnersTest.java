package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.eval.score.Scorers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RunnersTest {
    @Test
    void everyScorerHasARunnerOfTheSameName() {
        assertEquals(Scorers.names(), Runners.names());
        for (String name : Runners.names()) {
            assertEquals(name, Runners.named(name).name());
        }
    }

    /** The reference scripts' settings per benchmark (ShareGPT4V's runners, spec §1.2). */
    @Test
    void settingsAreTheReferenceScripts() {
        RunnerSettings loader = new RunnerSettings("vicuna_v1", ImagePolicy.MODEL_CONFIG, 128);
        RunnerSettings vqa = new RunnerSettings("vicuna_v1", ImagePolicy.CENTRE_CROP, 1024);
        Map<String, RunnerSettings> expected = new TreeMap<>(Map.of(
                "gqa", loader,
                "mme", loader,
                "pope", loader,
                "seed", loader,
                "textvqa", loader,
                "vizwiz", loader,
                "vqav2", loader,
                "llava_bench", vqa,
                "mmvet", vqa,
                "sqa", vqa));
        expected.put("mmbench", new RunnerSettings("vicuna_v1", ImagePolicy.MODEL_CONFIG, 1024));
        expected.put("mmbench_cn", new RunnerSettings("vicuna_v1", ImagePolicy.MODEL_CONFIG, 1024));
        expected.put("qbench", new RunnerSettings("share4v_v1", ImagePolicy.CENTRE_CROP, 1024));
        assertEquals(List.copyOf(expected.keySet()), Runners.names());
        expected.forEach((name, s) -> assertEquals(s, Runners.named(name).settings(), name));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runners.named("mmmu"));
        assertTrue(e.getMessage().contains("mmmu") && e.getMessage().contains("qbench"), e.getMessage());
    }
}
