package io.share4v.eval.submit;

/**
 * JSON text as Python's {@code json.dumps} writes it by default, so a submission file is byte-identical to the
 * reference converter's: {@code ", "} and {@code ": "} separators (the callers write those), and strings with
 * {@code ensure_ascii}: only printable ASCII stays as is, {@code \n \r \t \b \f} get their short escapes, every other
 * character a lowercase {@code \\uXXXX} per UTF-16 unit.
 */
final class PythonJson {
    private PythonJson() {}

    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        b.append(c);
                    } else {
                        b.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
