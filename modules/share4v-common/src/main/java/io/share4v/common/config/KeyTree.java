package io.share4v.common.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Between the grouped YAML of a job config (a training config's {@code model: {llm: ...}}) and its dotted keys
 * ({@code model.llm}), the form in which {@code --set} names a value and layers are merged key by key, so that a
 * file setting one key of a group keeps the defaults of the others.
 */
public final class KeyTree {
    private KeyTree() {}

    /**
     * The leaves of {@code tree} under their dotted keys; every key must be one of {@code known} or a group of them.
     *
     * @param from how errors name the source, e.g. {@code train config: config file conf/x.yaml}
     */
    public static Map<String, Object> flatten(Map<String, Object> tree, Set<String> known, String from) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", tree, known, from, flat);
        return flat;
    }

    /** Dotted keys back into nested maps, in first-seen order. */
    public static Map<String, Object> nest(Map<String, Object> flat) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Map<String, Object> node = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child =
                        (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                node = child;
            }
            node.put(parts[parts.length - 1], e.getValue());
        }
        return tree;
    }

    private static void flatten(
            String prefix, Map<?, ?> tree, Set<String> known, String from, Map<String, Object> flat) {
        for (Map.Entry<?, ?> e : tree.entrySet()) {
            String key = prefix + e.getKey();
            if (known.contains(key)) {
                flat.put(key, e.getValue());
            } else if (known.stream().anyMatch(k -> k.startsWith(key + "."))) {
                if (!(e.getValue() instanceof Map<?, ?> group)) {
                    throw new IllegalArgumentException(from + ": key '" + key + "' is a group: expected a mapping of "
                            + String.join(
                                    ", ",
                                    known.stream()
                                            .filter(k -> k.startsWith(key + "."))
                                            .toList()));
                }
                flatten(key + ".", group, known, from, flat);
            } else {
                throw new IllegalArgumentException(
                        from + ": unknown key '" + key + "'; known keys: " + String.join(", ", known));
            }
        }
    }
}
