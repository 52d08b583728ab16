package io.share4v.data.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One conversation template of the reference ({@code share4v/conversation.py}) as immutable data: the system
 * prompt, the two role names, any few-shot messages ({@code offset} of them belong to the template, not to
 * the user), the separator style and strings, and the version tag the reference dispatches on
 * ({@code "v1"} prefix selects the v1 masking, {@code "mmtag"} the {@code <Image>} wrapping).
 * {@code sep2} is null where the reference leaves it {@code None}.
 *
 * <p>{@link #prompt()} is the reference's {@code get_prompt()}; {@link #withMessages} plays the role of
 * {@code conv.copy()} followed by {@code conv.messages = …}, and {@link #append} of {@code append_message}.
 */
public record ConversationTemplate(
        String system,
        List<String> roles,
        List<Message> messages,
        int offset,
        SeparatorStyle sepStyle,
        String sep,
        String sep2,
        String version) {
    public ConversationTemplate {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(sepStyle, "sepStyle");
        Objects.requireNonNull(sep, "sep");
        Objects.requireNonNull(version, "version");
        roles = List.copyOf(roles);
        messages = List.copyOf(messages);
        if (roles.size() != 2) {
            throw new IllegalArgumentException("roles must name exactly 2 roles (user, assistant), got " + roles);
        }
        if (offset < 0 || offset > messages.size()) {
            throw new IllegalArgumentException("offset must be in [0, " + messages.size() + "], got " + offset);
        }
    }

    /** The user's role name ({@code roles[0]}). */
    public String userRole() {
        return roles.get(0);
    }

    /** The model's role name ({@code roles[1]}). */
    public String assistantRole() {
        return roles.get(1);
    }

    /**
     * The eval scripts' {@code stop_str}: {@code sep} for SINGLE-style templates, else {@code sep2} (e.g. {@code "</s>"}
     * for {@code vicuna_v1}); an error for a template that has none.
     */
    public String stopString() {
        String s = sepStyle == SeparatorStyle.SINGLE ? sep : sep2;
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("conversation template " + version + " has no stop string");
        }
        return s;
    }

    /** Same template with its message list replaced (few-shot messages included only if passed again). */
    public ConversationTemplate withMessages(List<Message> newMessages) {
        return new ConversationTemplate(
                system, roles, newMessages, Math.min(offset, newMessages.size()), sepStyle, sep, sep2, version);
    }

    /** Same template with one more message; {@code text == null} is the slot the model fills at inference. */
    public ConversationTemplate append(String role, String text) {
        List<Message> next = new ArrayList<>(messages);
        next.add(Message.of(role, text));
        return new ConversationTemplate(system, roles, next, offset, sepStyle, sep, sep2, version);
    }

    /** Like {@link #append} for a user message that carries an image (the reference's tuple message). */
    public ConversationTemplate appendWithImage(String role, String text) {
        List<Message> next = new ArrayList<>(messages);
        next.add(Message.withImage(role, text));
        return new ConversationTemplate(system, roles, next, offset, sepStyle, sep, sep2, version);
    }

    /**
     * The reference's {@code get_prompt()}. When the first message carries an image, its {@code <image>} is
     * moved to the front ({@code "<image>\n" + text}) or, for {@code mmtag} versions, replaced by an extra
     * {@code <Image><image></Image>} / {@code Received.} exchange. A template without {@code sep2} cannot
     * render a second non-empty message in the TWO/PLAIN styles: the reference raises a TypeError there
     * ({@code str + None}), and so does this, as an IllegalStateException.
     */
    public String prompt() {
        List<Message> msgs = messages;
        if (!msgs.isEmpty() && msgs.get(0).image()) {
            msgs = new ArrayList<>(msgs);
            Message first = msgs.get(0);
            String initMsg = PyStr.strip(first.text().replace("<image>", ""));
            if (version.contains("mmtag")) {
                msgs.set(0, Message.of(first.role(), initMsg));
                msgs.add(0, Message.of(userRole(), "<Image><image></Image>"));
                msgs.add(1, Message.of(assistantRole(), "Received."));
            } else {
                msgs.set(0, Message.of(first.role(), "<image>\n" + initMsg));
            }
        }
        StringBuilder ret = new StringBuilder(256);
        switch (sepStyle) {
            case SINGLE -> {
                ret.append(system).append(sep);
                for (Message m : msgs) {
                    if (m.present()) {
                        ret.append(m.role()).append(": ").append(m.text()).append(sep);
                    } else {
                        ret.append(m.role()).append(':');
                    }
                }
            }
            case TWO -> {
                ret.append(system).append(sep);
                for (int i = 0; i < msgs.size(); i++) {
                    Message m = msgs.get(i);
                    if (m.present()) {
                        ret.append(m.role()).append(": ").append(m.text()).append(separator(i));
                    } else {
                        ret.append(m.role()).append(':');
                    }
                }
            }
            case LLAMA_2 -> {
                for (int i = 0; i < msgs.size(); i++) {
                    Message m = msgs.get(i);
                    if (i == 0) {
                        if (!m.present()) {
                            throw new IllegalStateException("LLAMA_2 prompt: first message should not be none");
                        }
                        if (!m.role().equals(userRole())) {
                            throw new IllegalStateException("LLAMA_2 prompt: first message should come from user");
                        }
                    }
                    if (m.present()) {
                        String text = m.text();
                        if (i == 0) {
                            text = "<<SYS>>\n" + system + "\n<</SYS>>\n\n" + text;
                        }
                        if (i % 2 == 0) {
                            ret.append(sep).append("[INST] ").append(text).append(" [/INST]");
                        } else {
                            ret.append(' ').append(text).append(' ').append(requireSep2(i));
                        }
                    }
                }
                return PyStr.lstrip(ret.toString(), sep);
            }
            case PLAIN -> {
                ret.append(system);
                for (int i = 0; i < msgs.size(); i++) {
                    Message m = msgs.get(i);
                    if (m.present()) {
                        ret.append(m.text()).append(separator(i));
                    }
                }
            }
            default -> throw new IllegalStateException("Invalid style: " + sepStyle);
        }
        return ret.toString();
    }

    private String separator(int messageIndex) {
        return messageIndex % 2 == 0 ? sep : requireSep2(messageIndex);
    }

    private String requireSep2(int messageIndex) {
        if (sep2 == null) {
            throw new IllegalStateException("template (" + sepStyle + ", version " + version
                    + ") has no sep2, so message " + messageIndex
                    + " cannot be rendered (the reference fails the same way: str + None)");
        }
        return sep2;
    }
}
