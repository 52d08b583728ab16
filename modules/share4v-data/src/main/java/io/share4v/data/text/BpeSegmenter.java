package io.share4v.data.text;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * sentencepiece's BPE encode (bpe_model.cc) for one thread: the text is normalized, cut into code points (user
 * symbols whole and frozen), and the adjacent pair whose concatenation is the best-scoring piece is merged
 * until none is left. Like the C++ code it keeps the symbols as a linked list and the candidate pairs in a
 * priority queue (higher score first, leftmost on ties) and drops stale candidates when popped, so a text of n
 * code points costs O(n log n). All buffers are reused between calls, so encoding allocates only its result.
 * Not thread-safe: {@link SentencePieceModel} hands each thread its own instance.
 */
final class BpeSegmenter {
    private final SentencePieceModel model;
    private final int vocabSize;
    private final float[] scores;

    private int[] raw = new int[256];
    private int[] norm = new int[256];

    // The symbol list: code-point length (0 once merged into its left neighbour), current symbol, links.
    private int[] symLen = new int[256];
    private int[] symId = new int[256];
    private int[] prev = new int[256];
    private int[] next = new int[256];
    private boolean[] frozen = new boolean[256];

    // Candidate merges, a binary max-heap over parallel arrays.
    private float[] heapScore = new float[512];
    private int[] heapLeft = new int[512];
    private int[] heapRight = new int[512];
    private int[] heapSize = new int[512];
    private int[] heapMerged = new int[512];
    private int heapCount;

    // For UNUSED pieces: how each one was formed in this text, so it can be split back (sentencepiece's rev_merge).
    private final Map<Integer, Long> revMerge;
    private final WordCache cache = new WordCache();

    BpeSegmenter(SentencePieceModel model) {
        this.model = model;
        this.vocabSize = model.size();
        this.scores = new float[vocabSize];
        for (int i = 0; i < vocabSize; i++) scores[i] = model.score(i);
        this.revMerge = model.hasUnused ? new HashMap<>() : null;
    }

    /** Appends the ids of {@code sp.encode(text[from, to))} to {@code out}. */
    void encode(CharSequence text, int from, int to, IntList out) {
        int rawLen = readCodePoints(text, from, to);
        int normLen = normalize(rawLen);
        if (normLen == 0) return;
        if (!model.wordsAreIndependent) {
            segment(0, normLen, out);
            return;
        }
        // No piece joins a non-space code point to a following U+2581, so no merge crosses such a boundary and
        // each word can be segmented alone, with the same result, and looked up in the cache.
        int start = 0;
        for (int i = 1; i <= normLen; i++) {
            if (i == normLen
                    || (norm[i] == SentencePieceModel.SPACE_SYMBOL && norm[i - 1] != SentencePieceModel.SPACE_SYMBOL)) {
                segmentCached(start, i, out);
                start = i;
            }
        }
    }

    private void segmentCached(int from, int to, IntList out) {
        if (to - from > WordCache.MAX_WORD) {
            segment(from, to, out);
            return;
        }
        int[] cached = cache.get(norm, from, to);
        if (cached != null) {
            for (int id : cached) out.add(id);
            return;
        }
        int mark = out.size;
        segment(from, to, out);
        cache.put(norm, from, to, Arrays.copyOfRange(out.a, mark, out.size));
    }

    /** BPE over {@code norm[from, to)}, appending ids. */
    private void segment(int from, int to, IntList out) {
        int count = split(from, to);
        merge(count);
        for (int i = 0; i != -1; i = next[i]) resegment(symId[i], out);
    }

    private int readCodePoints(CharSequence text, int from, int to) {
        if (raw.length < to - from) raw = new int[Math.max(to - from, raw.length * 2)];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                    raw[n++] = Character.toCodePoint(c, text.charAt(++i));
                    continue;
                }
                throw new IllegalArgumentException(String.format(
                        "text has an unpaired UTF-16 surrogate U+%04X at index %d; it has no UTF-8 form to tokenize",
                        (int) c, i));
            }
            raw[n++] = c;
        }
        return n;
    }

    /** sentencepiece's Normalizer without a charsmap; writes {@code norm} and returns its length. */
    private int normalize(int rawLen) {
        if (rawLen == 0) return 0;
        if (norm.length < rawLen + 1) norm = new int[Math.max(rawLen + 1, norm.length * 2)];
        boolean removeExtra = model.removeExtraWhitespaces();
        int i = 0;
        if (removeExtra) {
            while (i < rawLen && unitLength(i, rawLen) == 1 && raw[i] == ' ') i++;
            if (i == rawLen) return 0;
        }
        int len = 0;
        if (model.addDummyPrefix()) norm[len++] = SentencePieceModel.SPACE_SYMBOL;
        boolean prevIsSpace = removeExtra;
        while (i < rawLen) {
            int end = i + unitLength(i, rawLen);
            int s = i;
            if (prevIsSpace) {
                while (s < end && raw[s] == ' ') s++;
            }
            if (s < end) {
                for (int k = s; k < end; k++) norm[len++] = raw[k] == ' ' ? SentencePieceModel.SPACE_SYMBOL : raw[k];
                prevIsSpace = raw[end - 1] == ' ';
            }
            i = end;
            if (!removeExtra) prevIsSpace = false;
        }
        if (removeExtra) {
            while (len > 0 && norm[len - 1] == SentencePieceModel.SPACE_SYMBOL) len--;
        }
        return len;
    }

    private int unitLength(int i, int rawLen) {
        int m = (int) model.userSymbols.match(raw, i, rawLen);
        return m > 0 ? m : 1;
    }

    private int split(int from, int to) {
        ensureSymbols(to - from);
        int count = 0;
        for (int i = from; i < to; ) {
            long user = model.userSymbols.match(norm, i, to);
            int len = (int) user;
            if (len > 0) {
                symId[count] = (int) (user >>> 32);
                frozen[count] = true;
            } else {
                len = 1;
                symId[count] = model.singleCodePointSymbol(norm[i]);
                frozen[count] = false;
            }
            symLen[count] = len;
            prev[count] = count - 1;
            i += len;
            next[count] = i < to ? count + 1 : -1;
            count++;
        }
        return count;
    }

    private void merge(int count) {
        heapCount = 0;
        if (revMerge != null) revMerge.clear();
        for (int i = 1; i < count; i++) maybeAddPair(i - 1, i);
        while (heapCount > 0) {
            int left = heapLeft[0], right = heapRight[0], size = heapSize[0], merged = heapMerged[0];
            pop();
            // Stale: one side was merged away or grew since this candidate was queued.
            if (symLen[left] == 0 || symLen[right] == 0 || symLen[left] + symLen[right] != size) continue;
            symLen[left] = size;
            symId[left] = merged;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            symLen[right] = 0;
            maybeAddPair(prev[left], left);
            maybeAddPair(left, next[left]);
        }
    }

    private void maybeAddPair(int left, int right) {
        if (left < 0 || right < 0 || frozen[left] || frozen[right]) return;
        int merged = model.merges.get(SentencePieceModel.pairKey(symId[left], symId[right]), -1);
        if (merged < 0) return;
        push(scores[merged], left, right, symLen[left] + symLen[right], merged);
        if (revMerge != null && model.type(merged) == PieceType.UNUSED) {
            revMerge.put(merged, SentencePieceModel.pairKey(symId[left], symId[right]));
        }
    }

    /** Emits a final symbol; UNUSED pieces are split back into the pair that formed them, recursively. */
    private void resegment(int sym, IntList out) {
        if (sym >= vocabSize) {
            int cp = sym - vocabSize;
            int id = model.reservedSingleCodePoint.get(cp, model.unkId());
            if (model.type(id) == PieceType.UNKNOWN) {
                appendUtf8Bytes(cp, out);
            } else {
                out.add(id);
            }
            return;
        }
        int id = model.canonicalId[sym];
        if (revMerge != null && model.type(id) == PieceType.UNUSED) {
            Long pair = revMerge.get(id);
            if (pair != null) {
                resegment((int) (pair >>> 32), out);
                resegment((int) (long) pair, out);
                return;
            }
        }
        if (model.type(id) == PieceType.UNKNOWN) {
            String piece = model.piece(sym);
            for (int k = 0; k < piece.length(); ) {
                int cp = piece.codePointAt(k);
                appendUtf8Bytes(cp, out);
                k += Character.charCount(cp);
            }
        } else {
            out.add(id);
        }
    }

    /** Byte fallback: one {@code <0xXX>} piece per UTF-8 byte of an out-of-vocabulary character. */
    private void appendUtf8Bytes(int cp, IntList out) {
        int[] b = model.byteIds;
        if (cp < 0x80) {
            out.add(b[cp]);
        } else if (cp < 0x800) {
            out.add(b[0xC0 | cp >> 6]);
            out.add(b[0x80 | cp & 0x3F]);
        } else if (cp < 0x10000) {
            out.add(b[0xE0 | cp >> 12]);
            out.add(b[0x80 | cp >> 6 & 0x3F]);
            out.add(b[0x80 | cp & 0x3F]);
        } else {
            out.add(b[0xF0 | cp >> 18]);
            out.add(b[0x80 | cp >> 12 & 0x3F]);
            out.add(b[0x80 | cp >> 6 & 0x3F]);
            out.add(b[0x80 | cp & 0x3F]);
        }
    }

    private void ensureSymbols(int n) {
        if (symLen.length >= n) return;
        int cap = Math.max(n, symLen.length * 2);
        symLen = Arrays.copyOf(symLen, cap);
        symId = Arrays.copyOf(symId, cap);
        prev = Arrays.copyOf(prev, cap);
        next = Arrays.copyOf(next, cap);
        frozen = Arrays.copyOf(frozen, cap);
    }

    // ---- heap: entry a outranks b if its score is higher, or equal and its left index is smaller.

    private boolean outranks(int a, int b) {
        float sa = heapScore[a], sb = heapScore[b];
        return sa > sb || (sa == sb && heapLeft[a] < heapLeft[b]);
    }

    private void push(float score, int left, int right, int size, int merged) {
        if (heapCount == heapScore.length) {
            int cap = heapCount * 2;
            heapScore = Arrays.copyOf(heapScore, cap);
            heapLeft = Arrays.copyOf(heapLeft, cap);
            heapRight = Arrays.copyOf(heapRight, cap);
            heapSize = Arrays.copyOf(heapSize, cap);
            heapMerged = Arrays.copyOf(heapMerged, cap);
        }
        int i = heapCount++;
        set(i, score, left, right, size, merged);
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!outranks(i, parent)) break;
            swap(i, parent);
            i = parent;
        }
    }

    private void pop() {
        heapCount--;
        if (heapCount == 0) return;
        set(
                0,
                heapScore[heapCount],
                heapLeft[heapCount],
                heapRight[heapCount],
                heapSize[heapCount],
                heapMerged[heapCount]);
        int i = 0;
        while (true) {
            int l = 2 * i + 1, r = l + 1, best = i;
            if (l < heapCount && outranks(l, best)) best = l;
            if (r < heapCount && outranks(r, best)) best = r;
            if (best == i) return;
            swap(i, best);
            i = best;
        }
    }

    private void set(int i, float score, int left, int right, int size, int merged) {
        heapScore[i] = score;
        heapLeft[i] = left;
        heapRight[i] = right;
        heapSize[i] = size;
        heapMerged[i] = merged;
    }

    private void swap(int i, int j) {
        float s = heapScore[i];
        heapScore[i] = heapScore[j];
        heapScore[j] = s;
        int t = heapLeft[i];
        heapLeft[i] = heapLeft[j];
        heapLeft[j] = t;
        t = heapRight[i];
        heapRight[i] = heapRight[j];
        heapRight[j] = t;
        t = heapSize[i];
        heapSize[i] = heapSize[j];
        heapSize[j] = t;
        t = heapMerged[i];
        heapMerged[i] = heapMerged[j];
        heapMerged[j] = t;
    }
}
