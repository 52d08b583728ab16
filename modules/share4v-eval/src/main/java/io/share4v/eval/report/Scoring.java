package io.share4v.eval.report;

import java.nio.file.Path;

/**
 * Where a benchmark's published number comes from, which decides what the report shows when the run has no score
 * for it and what it says beside a score it has.
 */
public enum Scoring {
    /** Scored offline from the answers and the public ground truth. */
    LOCAL(RowStatus.NOT_RUN, null),
    /**
     * The published number is of the dev split, scored offline (MMBench, MMBench-CN); a run of the test split can only
     * write the upload for the benchmark's server.
     */
    DEV_OR_UPLOAD(RowStatus.UPLOAD, null),
    /**
     * The published split is scored by a server (VQAv2 test-dev and VizWiz test on EvalAI): the run can only write
     * the upload. A local score over an annotated split (val) is shown with a caveat.
     */
    SERVER(
            RowStatus.UPLOAD,
            "scored locally over the annotated split given to the scorer; the paper's number is the server-scored"
                    + " test split"),
    /**
     * A GPT-4 judge that cannot be called offline (LLaVA-Bench, MM-Vet): a number exists only when stored
     * reviews/grades were given to the scorer.
     */
    JUDGE(RowStatus.JUDGE, "aggregated from stored GPT-4 reviews/grades given to the scorer");

    private final RowStatus withoutScore;
    private final String scoredNote;

    Scoring(RowStatus withoutScore, String scoredNote) {
        this.withoutScore = withoutScore;
        this.scoredNote = scoredNote;
    }

    /** The status of a run of this benchmark that has no {@code score.json}. */
    public RowStatus withoutScore() {
        return withoutScore;
    }

    /** What to say beside a score of this kind, or null. */
    public String scoredNote() {
        return scoredNote;
    }

    /**
     * Why a run with answers in {@code answers} has no score, when the run itself did not say (paths relative to the
     * run directory, so that the report stays right when the directory moves).
     */
    public String withoutScoreReason(Path answers, Path scoreFile) {
        return switch (withoutScore) {
            case UPLOAD -> "server-scored split: upload the submission made from " + answers + " (share4v submit)";
            case JUDGE ->
                "the GPT-4 judge cannot be called offline: score " + answers
                        + " with stored reviews/grades (share4v score --annotations)";
            default -> "no " + scoreFile + ": the answers were not scored";
        };
    }
}
