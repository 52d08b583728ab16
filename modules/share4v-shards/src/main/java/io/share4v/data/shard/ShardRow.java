package io.share4v.data.shard;

/**
 * One training sample as stored in a shard. {@code image} is null for text-only rows and for shards
 * written in path mode (then {@code imagePath} is resolved against the dataset's image root);
 * {@code width}/{@code height} are null for text-only rows.
 */
public record ShardRow(
        String id,
        String dataset,
        long recordIndex,
        long order,
        String template,
        String aspect,
        int[] inputIds,
        int[] labels,
        int nTokens,
        boolean hasImage,
        byte[] image,
        String imagePath,
        Integer width,
        Integer height,
        boolean mismatch) {}
