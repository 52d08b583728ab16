package io.share4v.tensor.ops;

/**
 * The head layout both attention calls share ({@link AttentionShape}, {@link DecodeShape}): {@code heads} query
 * heads of {@code headDim} dims over {@code kvHeads} key/value heads (grouped-query attention: query head h reads
 * key/value head {@code h / group()}). Rows of q and out are {@link #queryWidth()} wide, rows of k and v
 * {@link #kvWidth()}.
 */
interface HeadLayout {
    int heads();

    int kvHeads();

    int headDim();

    default int queryWidth() {
        return heads() * headDim();
    }

    default int kvWidth() {
        return kvHeads() * headDim();
    }

    /** Query heads per key/value head. */
    default int group() {
        return heads() / kvHeads();
    }

    /** Throws unless the query heads split evenly over the key/value heads. */
    static void checkGrouping(int heads, int kvHeads) {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    "num_attention_heads (" + heads + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
        }
    }
}
