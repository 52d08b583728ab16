package io.share4v.train.collective;

import io.share4v.tensor.HostStorage;
import io.share4v.tensor.ParamLayout.Range;
import java.nio.ByteBuffer;

/**
 * The chunks of every shard of a {@link Partition}: shard k is cut into runs of at most {@code chunkElements} of its
 * elements (the last one shorter), and each chunk is the list of buffer ranges ("pieces") it covers, more than one
 * where the chunk spans a gap of frozen elements. Both ends of a ring link derive the same plan from the same
 * partition and chunk size, so no sizes travel on the wire. Computed once per partition and reused by every call.
 */
final class ChunkPlan {
    private final int chunkElements;
    /** Per shard, the global index of its first chunk; {@code world + 1} entries. */
    private final int[] firstChunk;
    /** Per chunk, the index of its first piece; {@code chunks + 1} entries. */
    private final int[] firstPiece;

    private final long[] pieceStart;
    private final int[] pieceLength;

    ChunkPlan(Partition partition, int chunkElements) {
        this.chunkElements = chunkElements;
        int world = partition.world();
        firstChunk = new int[world + 1];
        int chunks = 0;
        int pieces = 0;
        for (int k = 0; k < world; k++) {
            firstChunk[k] = chunks;
            int n = chunkCount(partition.shardSize(k));
            chunks = Math.addExact(chunks, n);
            // every chunk boundary inside a range splits it once more
            pieces = Math.addExact(pieces, partition.shard(k).size() + n);
        }
        firstChunk[world] = chunks;
        firstPiece = new int[chunks + 1];
        pieceStart = new long[pieces];
        pieceLength = new int[pieces];
        int chunk = 0;
        int piece = 0;
        for (int k = 0; k < world; k++) {
            long room = 0;
            for (Range r : partition.shard(k)) {
                long at = r.start();
                while (at < r.end()) {
                    if (room == 0) {
                        firstPiece[chunk++] = piece;
                        room = chunkElements;
                    }
                    int n = (int) Math.min(room, r.end() - at);
                    pieceStart[piece] = at;
                    pieceLength[piece] = n;
                    piece++;
                    at += n;
                    room -= n;
                }
            }
        }
        firstPiece[chunks] = piece;
    }

    /** The number of chunks of shard {@code shard}. */
    int chunks(int shard) {
        return firstChunk[shard + 1] - firstChunk[shard];
    }

    /** The number of elements of chunk {@code chunk} of shard {@code shard}. */
    int elements(int shard, int chunk) {
        int g = firstChunk[shard] + chunk;
        int n = 0;
        for (int p = firstPiece[g]; p < firstPiece[g + 1]; p++) {
            n += pieceLength[p];
        }
        return n;
    }

    /**
     * Byte windows over the pieces of a chunk of a FLOAT buffer that starts at element {@code bufferOffset} of
     * {@code storage}: what a gathering write sends or a scattering read fills.
     */
    ByteBuffer[] windows(HostStorage storage, long bufferOffset, int shard, int chunk) {
        int g = firstChunk[shard] + chunk;
        int first = firstPiece[g];
        ByteBuffer[] out = new ByteBuffer[firstPiece[g + 1] - first];
        for (int i = 0; i < out.length; i++) {
            out[i] = storage.window(
                    (bufferOffset + pieceStart[first + i]) * Float.BYTES, pieceLength[first + i] * Float.BYTES);
        }
        return out;
    }

    private int chunkCount(long elements) {
        return Math.toIntExact((elements + chunkElements - 1) / chunkElements);
    }
}
