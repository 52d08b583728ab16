package io.share4v.model.io;

/**
 * A checkpoint or config file whose content is wrong or unsupported. The message always names the file
 * (and the tensor or key) and the reason, so that a bad download or a foreign format is diagnosed from the
 * message alone.
 */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
