package io.share4v.data.text;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.share4v.data.record.RecordRejectedException;

/**
 * The one-line JSON forms of a tokenized or rejected record, shared by {@code share4v tokenize} and the
 * Spark tokenization job's tests (which compare their rows with these lines):
 * <pre>
 * {"id":"x","input_ids":[1,319,…],"labels":[-100,…]}
 * {"id":"x","rejected":"BAD_ROLES","detail":"…"}
 * </pre>
 * No spaces, ids as JSON strings ({@code null} when the record had no usable id), non-ASCII text unescaped.
 */
public final class TokenizeJson {
    private TokenizeJson() {}

    public static String line(TokenizedSample s) {
        StringBuilder b = new StringBuilder(32 + 8 * s.inputIds().length * 2);
        b.append("{\"id\":");
        appendString(b, s.id());
        b.append(",\"input_ids\":");
        appendInts(b, s.inputIds());
        b.append(",\"labels\":");
        appendInts(b, s.labels());
        return b.append('}').toString();
    }

    public static String rejected(String id, RecordRejectedException e) {
        StringBuilder b = new StringBuilder(96);
        b.append("{\"id\":");
        appendString(b, id);
        b.append(",\"rejected\":");
        appendString(b, e.reason().name());
        if (e.detail() != null) {
            b.append(",\"detail\":");
            appendString(b, e.detail());
        }
        return b.append('}').toString();
    }

    private static void appendString(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        b.append('"');
    }

    private static void appendInts(StringBuilder b, int[] a) {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(a[i]);
        }
        b.append(']');
    }
}
