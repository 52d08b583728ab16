package io.share4v.eval.run;

import io.share4v.eval.run.mmbench.MmbenchRunner;
import io.share4v.eval.run.qbench.QbenchRunner;
import io.share4v.eval.run.sqa.SqaRunner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runners by {@code --benchmark} name (the scorers' names, sorted): {@code model_vqa_loader} (gqa, mme, pope, seed,
 * textvqa, vizwiz, vqav2), {@code model_vqa} (llava_bench, mmvet), {@code model_vqa_science} (sqa),
 * {@code model_vqa_mmbench} (mmbench, mmbench_cn) and {@code model_vqa_qbench} (qbench).
 */
public final class Runners {
    private static final Map<String, BenchmarkRunner> BY_NAME = index(List.of(
            new LlavaJsonlRunner("gqa", RunnerSettings.loader()),
            new LlavaJsonlRunner("llava_bench", RunnerSettings.vqa()),
            MmbenchRunner.english(),
            MmbenchRunner.chinese(),
            new LlavaJsonlRunner("mme", RunnerSettings.loader()),
            new LlavaJsonlRunner("mmvet", RunnerSettings.vqa()),
            new LlavaJsonlRunner("pope", RunnerSettings.loader()),
            new QbenchRunner(),
            new LlavaJsonlRunner("seed", RunnerSettings.loader()),
            new SqaRunner(),
            new LlavaJsonlRunner("textvqa", RunnerSettings.loader()),
            new LlavaJsonlRunner("vizwiz", RunnerSettings.loader()),
            new LlavaJsonlRunner("vqav2", RunnerSettings.loader())));

    private Runners() {}

    private static Map<String, BenchmarkRunner> index(List<BenchmarkRunner> runners) {
        Map<String, BenchmarkRunner> m = new LinkedHashMap<>();
        for (BenchmarkRunner r : runners) {
            if (m.put(r.name(), r) != null) {
                throw new IllegalStateException("two runners named " + r.name());
            }
        }
        return m;
    }

    /** The runner for {@code name}; an unknown name is an error listing the known ones. */
    public static BenchmarkRunner named(String name) {
        BenchmarkRunner r = BY_NAME.get(name);
        if (r == null) {
            throw new IllegalArgumentException(
                    "unknown benchmark " + name + " (runners: " + String.join(", ", names()) + ")");
        }
        return r;
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
