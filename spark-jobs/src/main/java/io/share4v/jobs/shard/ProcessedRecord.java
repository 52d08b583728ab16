package io.share4v.jobs.shard;

/**
 * The outcome of one input record on an executor: either a sample ({@code reason == null}) or a reject.
 * A plain mutable class, not a record: Spark ships it with Kryo, whose field serializer cannot set the
 * final fields of a Java record.
 */
public final class ProcessedRecord {
    public int dataset;
    public long recordIndex;
    public String id;
    /** {@code RejectReason} name, or null when the record became a sample. */
    public String reason;

    public String detail;
    public int[] inputIds;
    public int[] labels;
    public int nTokens;
    public boolean hasImage;
    public byte[] image;
    public String imagePath;
    public int width = -1;
    public int height = -1;
    public boolean mismatch;
    /** Whitespace word count of all turns, negative for text-only (the modality-length grouping key). */
    public int modalityLength;

    public boolean written() {
        return reason == null;
    }

    /** Dataset and record index packed into one sortable long (20 bits of dataset, 43 of index). */
    public static long key(int dataset, long recordIndex) {
        return ((long) dataset << 43) | recordIndex;
    }

    public long key() {
        return key(dataset, recordIndex);
    }

    /** Bytes this row adds to a shard before compression; sizes the shards. */
    public long estimatedBytes() {
        return 64L
                + (image == null ? 0 : image.length)
                + 4L * (inputIds == null ? 0 : inputIds.length * 2L)
                + (id == null ? 0 : id.length())
                + (imagePath == null ? 0 : imagePath.length());
    }
}
