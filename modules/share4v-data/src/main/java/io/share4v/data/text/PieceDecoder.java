package io.share4v.data.text;

/**
 * sentencepiece's Decode over a run of pieces: control pieces vanish, {@code <unk>} becomes the unk surface,
 * U+2581 becomes a space, the leading U+2581 of the first visible piece is dropped (the dummy prefix), and
 * consecutive byte pieces are reassembled as UTF-8 with every structurally invalid byte turned into U+FFFD.
 */
final class PieceDecoder {
    private static final String SPACE_SYMBOL = "\u2581";

    private PieceDecoder() {}

    static void decodeRun(SentencePieceModel m, int[] ids, int from, int to, StringBuilder sb) {
        int textStart = sb.length();
        byte[] pending = null;
        int pendingLen = 0;
        boolean isBosWs = true; // a leading U+2581 may still be consumed
        boolean bosWsSeen = false;
        boolean stripLeading = m.addDummyPrefix() || m.removeExtraWhitespaces();
        for (int i = from; i < to; i++) {
            int id = m.canonicalId[ids[i]];
            if (m.isByte(id)) {
                if (pending == null) pending = new byte[Math.max(8, to - i)];
                pending[pendingLen++] = (byte) SentencePieceModel.byteOfPiece(m.piece(id));
                continue;
            }
            appendUtf8Lenient(pending, pendingLen, sb);
            pendingLen = 0;
            if (bosWsSeen || sb.length() > textStart) isBosWs = false;
            String piece = m.piece(ids[i]);
            PieceType type = m.type(id);
            bosWsSeen = false;
            if (type == PieceType.CONTROL) {
                continue;
            }
            if (type == PieceType.UNKNOWN) {
                sb.append(piece.equals(m.piece(id)) ? m.unkSurface() : piece);
                continue;
            }
            int start = 0;
            if (isBosWs && stripLeading && piece.startsWith(SPACE_SYMBOL)) {
                start = SPACE_SYMBOL.length();
                bosWsSeen = !m.removeExtraWhitespaces();
            }
            for (int k = start; k < piece.length(); k++) {
                char c = piece.charAt(k);
                sb.append(c == '\u2581' ? ' ' : c);
            }
        }
        appendUtf8Lenient(pending, pendingLen, sb);
    }

    /** sentencepiece's DecodeUTF8 loop: valid sequences are decoded, each invalid byte becomes U+FFFD. */
    static void appendUtf8Lenient(byte[] b, int len, StringBuilder sb) {
        int off = 0;
        while (off < len) {
            int b0 = b[off] & 0xFF;
            int n = 0, cp = 0;
            if (b0 < 0x80) {
                n = 1;
                cp = b0;
            } else if (len - off >= 2 && (b0 & 0xE0) == 0xC0) {
                cp = (b0 & 0x1F) << 6 | (b[off + 1] & 0x3F);
                if (isTrail(b[off + 1]) && cp >= 0x80) n = 2;
            } else if (len - off >= 3 && (b0 & 0xF0) == 0xE0) {
                cp = (b0 & 0x0F) << 12 | (b[off + 1] & 0x3F) << 6 | (b[off + 2] & 0x3F);
                if (isTrail(b[off + 1]) && isTrail(b[off + 2]) && cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) n = 3;
            } else if (len - off >= 4 && (b0 & 0xF8) == 0xF0) {
                cp = (b0 & 0x07) << 18 | (b[off + 1] & 0x3F) << 12 | (b[off + 2] & 0x3F) << 6 | (b[off + 3] & 0x3F);
                if (isTrail(b[off + 1])
                        && isTrail(b[off + 2])
                        && isTrail(b[off + 3])
                        && cp >= 0x10000
                        && cp <= 0x10FFFF) n = 4;
            }
            if (n == 0) {
                sb.append('\uFFFD');
                off++;
            } else {
                sb.appendCodePoint(cp);
                off += n;
            }
        }
    }

    private static boolean isTrail(byte x) {
        return (x & 0xC0) == 0x80;
    }
}
