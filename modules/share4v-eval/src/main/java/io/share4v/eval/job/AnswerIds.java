package io.share4v.eval.job;

import java.security.SecureRandom;

/**
 * The answers' {@code answer_id}: as the reference's {@code shortuuid.uuid()}, 22 characters of its 57-letter
 * alphabet (digits and letters without the look-alikes 0, 1, I, O, l) from 128 random bits.
 */
final class AnswerIds {
    private static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final int LENGTH = 22;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AnswerIds() {}

    static String next() {
        java.math.BigInteger n = new java.math.BigInteger(128, RANDOM);
        java.math.BigInteger base = java.math.BigInteger.valueOf(ALPHABET.length());
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            java.math.BigInteger[] qr = n.divideAndRemainder(base);
            out[i] = ALPHABET.charAt(qr[1].intValue());
            n = qr[0];
        }
        return new String(out);
    }
}
