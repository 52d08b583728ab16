package io.share4v.eval.score;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.gqa.GqaScorer;
import io.share4v.eval.score.llavabench.LlavaBenchScorer;
import io.share4v.eval.score.mmbench.MmbenchScorer;
import io.share4v.eval.score.mme.MmeScorer;
import io.share4v.eval.score.mmvet.MmVetScorer;
import io.share4v.eval.score.pope.PopeScorer;
import io.share4v.eval.score.qbench.QbenchScorer;
import io.share4v.eval.score.seed.SeedScorer;
import io.share4v.eval.score.sqa.SqaScorer;
import io.share4v.eval.score.textvqa.TextVqaScorer;
import io.share4v.eval.score.vizwiz.VizWizScorer;
import io.share4v.eval.score.vqa.VqaV2Scorer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every scorer, by its {@code --benchmark} name. */
public final class Scorers {
    private static final Map<String, Scorer> BY_NAME = index(List.of(
            new GqaScorer(),
            new LlavaBenchScorer(),
            new MmbenchScorer("mmbench"),
            new MmbenchScorer("mmbench_cn"),
            new MmeScorer(),
            new MmVetScorer(),
            new PopeScorer(),
            new QbenchScorer(),
            new SeedScorer(),
            new SqaScorer(),
            new TextVqaScorer(),
            new VizWizScorer(),
            new VqaV2Scorer()));

    private Scorers() {}

    private static Map<String, Scorer> index(List<Scorer> scorers) {
        Map<String, Scorer> m = new TreeMap<>();
        for (Scorer s : scorers) {
            if (m.put(s.name(), s) != null) {
                throw new IllegalStateException("two scorers are named " + s.name());
            }
        }
        return m;
    }

    /** The scorer named {@code name}; an unknown name is an error listing the known ones. */
    public static Scorer named(String name) {
        Scorer s = BY_NAME.get(name);
        if (s == null) {
            throw new EvalInputException(
                    "--benchmark " + name + " is unknown: expected one of " + String.join(", ", names()));
        }
        return s;
    }

    /** The known names, sorted. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
