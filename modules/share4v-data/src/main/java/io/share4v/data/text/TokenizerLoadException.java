package io.share4v.data.text;

/** A tokenizer file that is missing, unreadable, malformed or uses a feature this implementation does not have. */
public final class TokenizerLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TokenizerLoadException(String message) {
        super(message);
    }

    public TokenizerLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
