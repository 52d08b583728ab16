package io.share4v.data.text;

import java.util.Objects;

/**
 * One message of a conversation. {@code text == null} is the open slot the model should fill at inference
 * ({@code conv.append_message(role, None)}); an empty text renders the same way, because the reference tests
 * the message's truthiness. {@code image} marks the reference's tuple form {@code (text, image, mode)} used
 * by the demo and eval code: only the first message's flag matters (get_prompt moves its {@code <image>}).
 */
public record Message(String role, String text, boolean image) {
    public Message {
        Objects.requireNonNull(role, "role");
    }

    public static Message of(String role, String text) {
        return new Message(role, text, false);
    }

    public static Message withImage(String role, String text) {
        return new Message(role, Objects.requireNonNull(text, "text"), true);
    }

    /** Python truthiness of the reference's message slot: a tuple is always true, a string when non-empty. */
    boolean present() {
        return image || (text != null && !text.isEmpty());
    }
}
