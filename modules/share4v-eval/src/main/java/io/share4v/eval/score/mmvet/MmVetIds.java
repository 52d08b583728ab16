package io.share4v.eval.score.mmvet;

import io.share4v.eval.EvalInputException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MM-Vet names questions {@code v1_<n>}; LLaVA's question file numbers them {@code n} ({@code convert_mmvet_for_eval.py}
 * writes answer {@code n} under {@code v1_n}).
 */
final class MmVetIds {
    private static final Pattern ID = Pattern.compile("v1_(0|[1-9][0-9]*)");

    private MmVetIds() {}

    /** The answer key (the integer question id) of MM-Vet id {@code id} read from {@code file}. */
    static String answerKey(String id, Path file) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new EvalInputException(file + ": \"" + id + "\" is not an MM-Vet question id (v1_<n>)");
        }
        return m.group(1);
    }
}
