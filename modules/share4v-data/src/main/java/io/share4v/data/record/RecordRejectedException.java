package io.share4v.data.record;

/**
 * A record that cannot become a sample. Carries a stable {@link RejectReason} and a human-readable detail;
 * callers turn it into a rejects-ledger row or a {@code {"id":…,"rejected":…}} line, never a crash.
 */
public final class RecordRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final RejectReason reason;

    public RecordRejectedException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
