package io.share4v.train.collective;

/**
 * A collective could not complete: a peer died, hung, refused the connection or is in another call. The message
 * names the peer (rank and address) and what this rank was doing. The collective that threw is unusable afterwards
 * (its connections are closed, so the other ranks fail promptly too): the trainer restarts the whole group from
 * its last checkpoint, which is what a failed Spark barrier stage does.
 */
public class CollectiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CollectiveException(String message) {
        super(message);
    }

    public CollectiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
