package io.share4v.eval.score;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.mme.MmeScorer;
import io.share4v.eval.score.pope.PopeScorer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every scorer, by its {@code --benchmark} name. */
public final class Scorers {
    private static final Map<String, Scorer> BY_NAME = index(List.of(new MmeScorer(), new PopeScorer()));

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
