package io.share4v.eval.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runners by {@code --benchmark} name (the scorers' names). */
public final class Runners {
    private static final Map<String, BenchmarkRunner> BY_NAME =
            index(List.of(new LlavaJsonlRunner("pope", RunnerSettings.loader())));

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
