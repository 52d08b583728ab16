package io.share4v.eval.score.gqa;

import io.share4v.eval.score.vqa.PythonStrings;

/**
 * LLaVA's {@code convert_gqa_for_eval.py}: the prediction is the answer text with all trailing periods removed, then
 * lowercased; nothing else (articles and number words stay).
 */
public final class GqaPrediction {
    private GqaPrediction() {}

    public static String of(String text) {
        return PythonStrings.lower(PythonStrings.rstrip(text, "."));
    }
}
