package io.share4v.data.text;

/** How a template joins its messages into one prompt string (the reference's {@code SeparatorStyle}). */
public enum SeparatorStyle {
    /** {@code system + sep}, then {@code role + ": " + message + sep} per message ({@code ###} templates). */
    SINGLE,
    /** Like SINGLE, but user messages end in {@code sep} and assistant messages in {@code sep2} (vicuna v1). */
    TWO,
    /** No roles: {@code system + message + sep|sep2}; stage-1 captioning. */
    PLAIN,
    /** {@code [INST] <<SYS>>…<</SYS>> … [/INST] answer </s><s>[INST] …}. */
    LLAMA_2
}
