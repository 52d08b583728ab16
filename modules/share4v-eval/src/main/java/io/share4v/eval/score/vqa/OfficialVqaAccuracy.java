package io.share4v.eval.score.vqa;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The accuracy of one answer as the official VQA evaluation (GT-Vision-Lab {@code vqaEval.py}, current version)
 * computes it, which the VQAv2 server applies: newlines and tabs become spaces and the strings are stripped; then
 * <em>only when the human answers are not all identical</em> are they and the prediction put through punctuation and
 * digit/article processing. So with unanimous human answers nothing is normalised, not even case: {@code Yes} against
 * ten {@code yes} scores 0 (LLaVA's uploads are pre-processed with {@link EvalAiAnswerProcessor} for that reason).
 */
public final class OfficialVqaAccuracy {
    /** The official digit-comma test {@code (\d)(\,)(\d)}, on the original text. */
    private static final Pattern DIGIT_COMMA_DIGIT = Pattern.compile("\\p{Nd},\\p{Nd}");

    private OfficialVqaAccuracy() {}

    public static double of(String prediction, List<String> humanAnswers) {
        String pred = clean(prediction);
        List<String> humans = new ArrayList<>(humanAnswers.size());
        for (String a : humanAnswers) {
            humans.add(clean(a));
        }
        if (new HashSet<>(humans).size() > 1) {
            humans.replaceAll(OfficialVqaAccuracy::normalise);
            pred = normalise(pred);
        }
        return SoftAccuracy.of(pred, humans);
    }

    /** Punctuation then digit/article processing, as the official evaluation applies them. */
    static String normalise(String s) {
        return VqaNormalisation.digitsAndArticles(
                VqaNormalisation.punctuation(s, DIGIT_COMMA_DIGIT.matcher(s).find()));
    }

    private static String clean(String s) {
        return PythonStrings.strip(s.replace("\n", " ").replace("\t", " "));
    }
}
