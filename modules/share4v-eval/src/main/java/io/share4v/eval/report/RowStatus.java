package io.share4v.eval.report;

/** What a report row's "ours" is: a number, or why there is none. */
public enum RowStatus {
    /** Scored over every question. */
    SCORED("scored"),
    /** Scored over the answered questions only ({@code --allow-partial}): not comparable with the paper. */
    PARTIAL("partial"),
    /** The published split is server-scored: the run wrote answers to upload, no number. */
    UPLOAD("upload"),
    /** The published number needs a GPT-4 judge that cannot run offline, and no stored reviews/grades were given. */
    JUDGE("judge"),
    /** The benchmark was run but not scored (the reason says why). */
    NOT_RUN("not run"),
    /** The benchmark is not part of this run: shown as a dash. */
    ABSENT("absent");

    private final String text;

    RowStatus(String text) {
        this.text = text;
    }

    /** As written in report.json and shown in report.md. */
    public String text() {
        return text;
    }
}
