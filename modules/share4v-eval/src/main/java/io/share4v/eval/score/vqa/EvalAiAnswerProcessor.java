package io.share4v.eval.score.vqa;

import java.util.regex.Pattern;

/**
 * The EvalAI answer processor as LLaVA's {@code m4c_evaluator.EvalAIAnswerProcessor} has it: what LLaVA's VQAv2 and
 * VizWiz upload converters apply to every answer, and TextVQA scoring to the prediction and every ground-truth
 * answer. Unlike the official VQA evaluation it always applies, lowercases first, deletes commas and question marks up
 * front and splits {@code 's} off the word before it ({@code Macy's} becomes {@code macy 's}).
 */
public final class EvalAiAnswerProcessor {
    /**
     * The processor's digit-comma test ({@code (?<=\d)(\,)+(?=\d)}); commas are gone by the time it runs, so it never
     * holds, but it is kept as the reference has it.
     */
    private static final Pattern DIGIT_COMMA_DIGIT = Pattern.compile("(?<=\\p{Nd}),+(?=\\p{Nd})");

    private EvalAiAnswerProcessor() {}

    /** The processed answer. */
    public static String process(String answer) {
        String s = PythonStrings.lower(answer).replace(",", "").replace("?", "").replace("'s", " 's");
        s = PythonStrings.strip(s);
        s = PythonStrings.strip(s.replace("\n", " ").replace("\t", " "));
        s = VqaNormalisation.punctuation(s, DIGIT_COMMA_DIGIT.matcher(s).find());
        return VqaNormalisation.digitsAndArticles(s);
    }
}
