package io.share4v.eval.run;

import io.share4v.eval.EvalInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bad records of one question file: every one is counted, the first few are named (where and why), and the file
 * is rejected as a whole at the end, so a run never answers a silently reduced question set and one look at the
 * message shows how much of the file is wrong.
 */
public final class BadRecords {
    /** Bad records named in the message, at most. */
    static final int SHOWN = 5;

    private final Path file;
    private final String what;
    private final List<String> shown = new ArrayList<>();
    private int count;

    /** {@code what}: what the file should be, e.g. {@code "the sqa question file"}. */
    public BadRecords(Path file, String what) {
        this.file = file;
        this.what = what;
    }

    /** Records that the record at {@code where} (e.g. {@code "line 12"}) is bad for {@code reason}. */
    public void add(String where, String reason) {
        if (count++ < SHOWN) {
            shown.add(where + ": " + reason);
        }
    }

    public int count() {
        return count;
    }

    /** Throws an {@link EvalInputException} naming the file, the count of {@code total} records and the first few. */
    public void throwIfAny(int total) {
        if (count == 0) {
            return;
        }
        throw new EvalInputException(file + ": " + count + " bad record" + (count == 1 ? "" : "s") + " of " + total
                + " in " + what + ":\n  " + String.join("\n  ", shown) + (count > SHOWN ? "\n  ..." : ""));
    }

    /** A record's problem, thrown while one record is read and caught by the loop that reads them all. */
    public static final class Problem extends RuntimeException {
        public Problem(String reason) {
            super(reason, null, false, false);
        }
    }
}
