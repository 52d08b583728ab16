package io.share4v.data.text;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Longest-prefix matcher over the USER_DEFINED pieces (sentencepiece's PrefixMatcher): such a piece is cut out
 * whole, before BPE, and never merged further.
 */
final class UserSymbolTrie {
    private static final class Node {
        final Map<Integer, Node> next = new HashMap<>(4);
        int pieceId = -1;
    }

    private final Node root = new Node();
    private final boolean empty;

    UserSymbolTrie(List<String> symbols, Map<String, Integer> ids) {
        for (String s : symbols) {
            Node n = root;
            for (int cp : s.codePoints().toArray()) n = n.next.computeIfAbsent(cp, k -> new Node());
            n.pieceId = ids.get(s);
        }
        empty = symbols.isEmpty();
    }

    boolean isEmpty() {
        return empty;
    }

    /**
     * Longest user symbol starting at {@code cps[from]}: its piece id in the high 32 bits and its length in
     * code points in the low 32 bits; 0 when none matches.
     */
    long match(int[] cps, int from, int to) {
        if (empty) return 0;
        Node n = root;
        long best = 0;
        for (int i = from; i < to; i++) {
            n = n.next.get(cps[i]);
            if (n == null) break;
            if (n.pieceId >= 0) best = ((long) n.pieceId << 32) | (i + 1 - from);
        }
        return best;
    }
}
