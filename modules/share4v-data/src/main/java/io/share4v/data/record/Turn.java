package io.share4v.data.record;

import java.util.Objects;

/** One conversation turn: {@code from} is "human" or "gpt" in the released data, {@code value} the text. */
public record Turn(String from, String value) {
    public Turn {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(value, "value");
    }

    public boolean isHuman() {
        return "human".equals(from);
    }

    public boolean isGpt() {
        return "gpt".equals(from);
    }
}
