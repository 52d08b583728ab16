package io.share4v.eval.report;

/**
 * One row of the report: a column of the paper's table with our number (or why there is none) and the published
 * ones.
 *
 * @param column the column
 * @param ours   our number, or null (then {@code status} says why)
 * @param paper7b  ShareGPT4V-7B's published number, or null (POPE)
 * @param paper13b ShareGPT4V-13B's published number, or null (POPE)
 * @param status   what {@code ours} is
 * @param reason   why there is no number, or a caveat on it; null when there is nothing to say
 * @param run      the benchmark's run summary, or null when it was not run
 */
public record ReportRow(
        ReportColumn column,
        Double ours,
        Double paper7b,
        Double paper13b,
        RowStatus status,
        String reason,
        BenchmarkRun run) {
    public ReportRow {
        boolean numbered = status == RowStatus.SCORED || status == RowStatus.PARTIAL;
        if (numbered != (ours != null)) {
            throw new IllegalArgumentException(column.label() + ": status " + status.text() + " with ours = " + ours
                    + ": a number goes with scored or partial only");
        }
        if ((status == RowStatus.ABSENT) != (run == null)) {
            throw new IllegalArgumentException(
                    column.label() + ": status " + status.text() + " but the run summary is " + run);
        }
    }

    /** The published number of {@code size}. */
    public Double paper(ModelSize size) {
        return size == ModelSize.SEVEN_B ? paper7b : paper13b;
    }

    /** Ours minus the published number of {@code size}, or null when either is missing. */
    public Double difference(ModelSize size) {
        Double p = paper(size);
        return ours == null || p == null ? null : ours - p;
    }
}
