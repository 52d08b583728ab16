package io.share4v.train.collective;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A job's shared secret as a peer proves it: the SHA-256 digest of the token (the token itself never goes over the
 * wire), compared in constant time. The ring's {@link Handshake} and the driver's progress server check peers with
 * it.
 */
public final class JobToken {
    /** Bytes of a token drawn by {@link #random}. */
    public static final int RANDOM_BYTES = 32;

    private final byte[] digest;

    private JobToken(byte[] digest) {
        this.digest = digest;
    }

    /** The token {@code token} (a random secret of the job). */
    public static JobToken of(byte[] token) {
        try {
            return new JobToken(MessageDigest.getInstance("SHA-256").digest(token));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A new random token of {@link #RANDOM_BYTES} bytes. */
    public static byte[] random() {
        byte[] t = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(t);
        return t;
    }

    /** The 32-byte digest a peer sends. */
    public byte[] digest() {
        return digest.clone();
    }

    /** Whether {@code received} is this token's digest, in the same time wherever two digests differ. */
    public boolean matches(byte[] received) {
        return MessageDigest.isEqual(received, digest);
    }
}
