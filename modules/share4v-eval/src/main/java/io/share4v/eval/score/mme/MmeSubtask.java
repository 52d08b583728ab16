package io.share4v.eval.score.mme;

/**
 * The 14 MME subtasks, in the order of MME's {@code calculation.py}, each named as its results file
 * ({@code <name>.txt}) and the first path component of LLaVA's MME question ids.
 */
public enum MmeSubtask {
    EXISTENCE("existence", Part.PERCEPTION),
    COUNT("count", Part.PERCEPTION),
    POSITION("position", Part.PERCEPTION),
    COLOR("color", Part.PERCEPTION),
    POSTERS("posters", Part.PERCEPTION),
    CELEBRITY("celebrity", Part.PERCEPTION),
    SCENE("scene", Part.PERCEPTION),
    LANDMARK("landmark", Part.PERCEPTION),
    ARTWORK("artwork", Part.PERCEPTION),
    OCR("OCR", Part.PERCEPTION),
    COMMONSENSE_REASONING("commonsense_reasoning", Part.COGNITION),
    NUMERICAL_CALCULATION("numerical_calculation", Part.COGNITION),
    TEXT_TRANSLATION("text_translation", Part.COGNITION),
    CODE_REASONING("code_reasoning", Part.COGNITION);

    /** The two sums MME reports. */
    public enum Part {
        PERCEPTION,
        COGNITION
    }

    private final String fileName;
    private final Part part;

    MmeSubtask(String fileName, Part part) {
        this.fileName = fileName;
        this.part = part;
    }

    /** The name as MME writes it (case kept: {@code OCR}). */
    public String label() {
        return fileName;
    }

    public String resultsFile() {
        return fileName + ".txt";
    }

    public Part part() {
        return part;
    }
}
