package io.share4v.data.order;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LLaVA's {@code group_by_modality_length} sampler order (share4v_trainer.py {@code
 * get_modality_length_grouped_indices}), computed once at shard time so that reading the shards in
 * {@code order} and handing consecutive per-device batches to ranks round-robin reproduces the
 * reference's batching: batch k of a megabatch goes to rank k.
 *
 * <p>Lengths are signed word counts: positive for image samples, negative for text-only ones (zero is not
 * allowed, as in the reference). Each modality is permuted, cut into megabatches of
 * {@code worldSize * perDeviceBatch}, each megabatch sorted by length descending and split into
 * {@code worldSize} per-device batches balancing total length. Full megabatches of both modalities are
 * then shuffled together, and the two partial leftovers are merged, sorted by index and appended last, so
 * that final megabatch is the only one that can mix modalities (as in the reference).
 *
 * <p>Not bit-identical to PyTorch: {@code torch.randperm} is replaced by a splitmix64-seeded Fisher-Yates,
 * so the same seed gives a different (equally distributed) order than the Python code.
 */
public final class ModalityLengthGrouping {
    private ModalityLengthGrouping() {}

    /**
     * @return the sample indices in training order (a permutation of 0..lengths.length-1)
     */
    public static int[] order(int[] lengths, int worldSize, int perDeviceBatch, long seed) {
        if (worldSize < 1 || perDeviceBatch < 1) {
            throw new IllegalArgumentException(
                    "world_size = " + worldSize + ", per_device_batch = " + perDeviceBatch + "; both must be >= 1");
        }
        int mm = 0;
        int lang = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] == 0) {
                throw new IllegalArgumentException("sample " + i + " has length 0; lengths are signed word counts"
                        + " (+ image, - text-only) and must not be zero");
            }
            if (lengths[i] > 0) {
                mm++;
            } else {
                lang++;
            }
        }
        if (mm == 0 || lang == 0) {
            int[] abs = Arrays.stream(lengths).map(Math::abs).toArray();
            return lengthGrouped(abs, worldSize, perDeviceBatch, SplitMix64.derive(seed, 0));
        }
        int[] mmIdx = new int[mm];
        int[] mmLen = new int[mm];
        int[] langIdx = new int[lang];
        int[] langLen = new int[lang];
        for (int i = 0, a = 0, b = 0; i < lengths.length; i++) {
            if (lengths[i] > 0) {
                mmIdx[a] = i;
                mmLen[a++] = lengths[i];
            } else {
                langIdx[b] = i;
                langLen[b++] = -lengths[i];
            }
        }
        int megabatch = worldSize * perDeviceBatch;
        List<int[]> mmMega =
                cut(map(mmIdx, lengthGrouped(mmLen, worldSize, perDeviceBatch, SplitMix64.derive(seed, 1))), megabatch);
        List<int[]> langMega = cut(
                map(langIdx, lengthGrouped(langLen, worldSize, perDeviceBatch, SplitMix64.derive(seed, 2))), megabatch);
        int[] lastMm = mmMega.remove(mmMega.size() - 1);
        int[] lastLang = langMega.remove(langMega.size() - 1);
        List<int[]> full = new ArrayList<>(mmMega);
        full.addAll(langMega);
        int[] perm = Permutations.random(full.size(), SplitMix64.derive(seed, 3));
        int[] out = new int[lengths.length];
        int pos = 0;
        for (int p : perm) {
            int[] mb = full.get(p);
            System.arraycopy(mb, 0, out, pos, mb.length);
            pos += mb.length;
        }
        int[] additional = new int[lastMm.length + lastLang.length];
        System.arraycopy(lastMm, 0, additional, 0, lastMm.length);
        System.arraycopy(lastLang, 0, additional, lastMm.length, lastLang.length);
        Arrays.sort(additional);
        System.arraycopy(additional, 0, out, pos, additional.length);
        return out;
    }

    /** {@code get_length_grouped_indices}: permute, cut into megabatches, sort each by length desc, split. */
    static int[] lengthGrouped(int[] lengths, int worldSize, int perDeviceBatch, long seed) {
        int n = lengths.length;
        int[] perm = Permutations.random(n, seed);
        int megabatch = worldSize * perDeviceBatch;
        int[] out = new int[n];
        int pos = 0;
        for (int start = 0; start < n; start += megabatch) {
            int end = Math.min(n, start + megabatch);
            Integer[] mb = new Integer[end - start];
            for (int i = start; i < end; i++) {
                mb[i - start] = perm[i];
            }
            // Stable sort, like Python's sorted(): equal lengths keep their permuted order.
            Arrays.sort(mb, (x, y) -> Integer.compare(lengths[y], lengths[x]));
            for (int[] chunk : splitToEvenChunks(mb, lengths, worldSize)) {
                System.arraycopy(chunk, 0, out, pos, chunk.length);
                pos += chunk.length;
            }
        }
        return out;
    }

    /**
     * {@code split_to_even_chunks}: greedy assignment of each index (in descending-length order) to the
     * chunk with the smallest running length total; a full chunk is closed. When the megabatch does not
     * divide evenly, a strided split is used instead, as in the reference.
     */
    static int[][] splitToEvenChunks(Integer[] indices, int[] lengths, int numChunks) {
        int[][] chunks = new int[numChunks][];
        if (indices.length % numChunks != 0) {
            for (int c = 0; c < numChunks; c++) {
                int size = (indices.length - c + numChunks - 1) / numChunks;
                chunks[c] = new int[Math.max(0, size)];
                for (int k = 0, i = c; i < indices.length; i += numChunks, k++) {
                    chunks[c][k] = indices[i];
                }
            }
            return chunks;
        }
        int perChunk = indices.length / numChunks;
        int[] fill = new int[numChunks];
        long[] totals = new long[numChunks];
        for (int c = 0; c < numChunks; c++) {
            chunks[c] = new int[perChunk];
        }
        for (int index : indices) {
            int shortest = 0;
            for (int c = 1; c < numChunks; c++) {
                if (totals[c] < totals[shortest]) {
                    shortest = c;
                }
            }
            chunks[shortest][fill[shortest]++] = index;
            totals[shortest] += lengths[index];
            if (fill[shortest] == perChunk) {
                totals[shortest] = Long.MAX_VALUE;
            }
        }
        return chunks;
    }

    private static int[] map(int[] original, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = original[positions[i]];
        }
        return out;
    }

    private static List<int[]> cut(int[] order, int size) {
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < order.length; s += size) {
            out.add(Arrays.copyOfRange(order, s, Math.min(order.length, s + size)));
        }
        return out;
    }
}
