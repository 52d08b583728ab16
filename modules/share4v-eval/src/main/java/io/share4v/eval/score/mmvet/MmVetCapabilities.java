package io.share4v.eval.score.mmvet;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The capabilities of each MM-Vet question, from the benchmark's metadata {@code mm-vet.json} (keyed {@code v1_<n>},
 * each with {@code "capability"}: a list drawn from rec, ocr, know, gen, spat, math).
 */
final class MmVetCapabilities {
    private MmVetCapabilities() {}

    /** Sorted capability lists by answer key, in file order. */
    static Map<String, List<String>> read(Path file) {
        JsonNode root = GroundTruthJson.read(file, "MM-Vet metadata (mm-vet.json)");
        if (!root.isObject() || root.isEmpty()) {
            throw new EvalInputException(file + ": not MM-Vet metadata: not a non-empty JSON object");
        }
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TreeSet<String> caps = new TreeSet<>();
            for (JsonNode c : GroundTruthJson.array(e.getValue(), "capability", file, e.getKey())) {
                caps.add(c.asText());
            }
            byKey.put(MmVetIds.answerKey(e.getKey(), file), List.copyOf(new ArrayList<>(caps)));
        }
        return Collections.unmodifiableMap(byKey);
    }
}
