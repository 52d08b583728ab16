package io.share4v.eval.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation config: layering, the comma list, per-benchmark keys, and errors that name the key. */
class EvalConfigTest {
    private static final Path CONF = Path.of("../../conf/eval.yaml");

    @TempDir
    Path dir;

    @Test
    void theRepositoryConfLoadsWithEveryBenchmarkGroup() throws Exception {
        EvalConfig cfg = EvalConfig.load(CONF, null, List.of());
        assertEquals(13, cfg.inputs().size(), cfg.inputs().keySet().toString());
        assertEquals(
                "playground/data/eval/pope/llava_pope_test.jsonl",
                cfg.inputs().get("pope").questions());
        assertEquals(8, cfg.batchSize());
        assertNull(cfg.chunks());
    }

    @Test
    void setNamesBenchmarksAsACommaListAndKeysDotted() throws Exception {
        EvalConfig cfg = EvalConfig.load(
                CONF,
                Map.of("output_dir", dir.toString()),
                List.of("benchmarks=mme,pope", "pope.max_new_tokens=16", "model=/m/x", "chunks=3", "model_id=null"));
        assertEquals(List.of("mme", "pope"), cfg.benchmarks());
        assertEquals(16, cfg.inputs().get("pope").maxNewTokens());
        assertEquals(3, cfg.chunks());
        assertEquals("x", cfg.resolvedModelId());
        assertEquals(16, cfg.asKeys().get("pope.max_new_tokens"));
    }

    @Test
    void relativeBenchmarkPathsResolveAgainstDataRootElseTheWorkingDirectory() throws Exception {
        EvalConfig cwd = EvalConfig.load(CONF, null, List.of());
        assertNull(cwd.dataRoot());
        assertEquals(
                Path.of("playground/data/eval/pope/llava_pope_test.jsonl"),
                cwd.dataPath(cwd.inputs().get("pope").questions()));
        EvalConfig rooted = EvalConfig.load(CONF, null, List.of("data_root=" + dir, "pope.annotations=/abs/coco"));
        assertEquals(
                dir.resolve("playground/data/eval/pope/llava_pope_test.jsonl"),
                rooted.dataPath(rooted.inputs().get("pope").questions()));
        assertEquals(
                Path.of("/abs/coco"),
                rooted.dataPath(rooted.inputs().get("pope").annotations()),
                "absolute");
        assertNull(rooted.dataPath(rooted.inputs().get("mmbench").imageFolder()));
        assertEquals(dir.toString(), rooted.asKeys().get("data_root"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> EvalConfig.load(
                                CONF, Map.of("output_dir", dir.toString()), List.of("model=/m", "data_root=s3a://b/d"))
                        .validatedForRun());
        assertTrue(e.getMessage().contains("data_root = s3a://b/d is invalid"), e.getMessage());
    }

    @Test
    void badValuesNameTheKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> EvalConfig.load(null, null, List.of("pope.max_new_tokens=0")));
        assertTrue(e.getMessage().contains("pope.max_new_tokens = 0 is invalid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EvalConfig.load(null, null, List.of("pope.foo=1")));
        assertTrue(e.getMessage().contains("unknown key 'pope.foo'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EvalConfig.load(null, null, List.of("benchmarks=nope")));
        assertTrue(e.getMessage().contains("benchmarks = [nope] is invalid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EvalConfig.load(null, null, List.of("batch_size=0")));
        assertTrue(e.getMessage().contains("batch_size = 0 is invalid"), e.getMessage());
    }

    @Test
    void aRunNeedsItsFilesAndRefusesHadoopUris() throws Exception {
        Path q = Files.writeString(dir.resolve("q.jsonl"), "");
        List<String> base = List.of("model=/m", "benchmarks=pope", "pope.questions=" + q);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> EvalConfig.load(null, Map.of("output_dir", "hdfs://nn/eval"), base)
                        .validatedForRun());
        assertTrue(e.getMessage().contains("output_dir = hdfs://nn/eval is invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("every executor sees"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> EvalConfig.load(
                                null, Map.of("output_dir", dir.toString()), List.of("model=/m", "benchmarks=pope"))
                        .validatedForRun());
        assertTrue(e.getMessage().contains("pope.questions = null is invalid"), e.getMessage());
        EvalConfig.load(null, Map.of("output_dir", "file://" + dir), base).validatedForRun();
    }
}
