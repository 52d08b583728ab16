package io.share4v.eval.answers;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text as Python's {@code json.dumps} writes it by default, so answer files and submission files are
 * byte-identical to the reference scripts' ({@code json.dumps(obj) + "\n"}): {@code ", "} and {@code ": "}
 * separators, keys in insertion order, and strings with {@code ensure_ascii}: only printable ASCII stays as is,
 * {@code \n \r \t \b \f} get their short escapes, every other character a lowercase {@code \\uXXXX} per UTF-16 unit.
 * Floats as Python's {@code repr}: the digits of {@link Double#toString} (the shortest on Java 19+, in rare cases one
 * more on 17), fixed notation for exponents -4..15, else {@code 1e-05} style.
 * Written by hand because Jackson has no option for Python's separators and exponent format.
 */
public final class PythonJson {
    private PythonJson() {}

    /** {@code json.dumps(node)}. */
    public static String dumps(JsonNode node) {
        StringBuilder b = new StringBuilder();
        write(node, b);
        return b.toString();
    }

    private static void write(JsonNode n, StringBuilder b) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            b.append("null");
        } else if (n.isObject()) {
            b.append('{');
            String sep = "";
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.append(sep).append(string(e.getKey())).append(": ");
                write(e.getValue(), b);
                sep = ", ";
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                write(n.get(i), b);
            }
            b.append(']');
        } else if (n.isTextual()) {
            b.append(string(n.textValue()));
        } else if (n.isBoolean()) {
            b.append(n.booleanValue() ? "true" : "false");
        } else if (n.isIntegralNumber()) {
            b.append(n.bigIntegerValue());
        } else if (n.isNumber()) {
            b.append(floatRepr(n.doubleValue()));
        } else {
            throw new IllegalArgumentException("no Python JSON form for " + n.getNodeType() + " " + n);
        }
    }

    /** Python's {@code float.__repr__} as {@code json.dumps} writes it ({@code NaN} and {@code Infinity} included). */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal v = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = v.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - v.scale(); // d = 0.digits... x 10^(exponent+1)
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = v.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    /** A JSON string literal as Python writes it with {@code ensure_ascii}. */
    public static String string(String s) {
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
