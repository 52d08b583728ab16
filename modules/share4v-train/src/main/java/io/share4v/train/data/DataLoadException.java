package io.share4v.train.data;

/** Training data that cannot be used: a bad shard directory, a row that does not collate, an undecodable image. */
public final class DataLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataLoadException(String message) {
        super(message);
    }

    public DataLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
