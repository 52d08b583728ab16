package io.share4v.train.config;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.common.config.ConfigName;
import io.share4v.data.image.AspectMode;
import java.util.List;

/**
 * The training data ({@code data.*}): shard directories made by the shard job, read in the order listed. The
 * template, length limit, aspect and grouping are properties of the shards; they are stated here so that the
 * loader can refuse shards made for another run.
 *
 * @param shards                shard job output directories ({@code _manifest.json} + {@code shards/}), any Hadoop
 *                              file system URI or a local path
 * @param evalShards            held-out shard directories for the validation loss; empty: no evaluation
 * @param template              the conversation template the shards were tokenized with
 * @param modelMaxLength        the truncation length the shards were made with (before image expansion)
 * @param imageAspectRatio      {@code square} (shortest-edge resize + centre crop) or {@code pad}
 * @param groupByModalityLength whether the shards are in the reference's modality-grouped order
 * @param decodeThreads         background threads decoding and preprocessing images per worker
 */
public record DataConfig(
        List<String> shards,
        List<String> evalShards,
        Template template,
        int modelMaxLength,
        AspectMode imageAspectRatio,
        boolean groupByModalityLength,
        int decodeThreads) {
    public DataConfig {
        shards = shards == null ? List.of() : List.copyOf(shards);
        evalShards = evalShards == null ? List.of() : List.copyOf(evalShards);
        require(shards.stream().noneMatch(String::isBlank), "data.shards", shards, "non-blank paths");
        require(evalShards.stream().noneMatch(String::isBlank), "data.eval_shards", evalShards, "non-blank paths");
        ConfigName.requirePresent(template, Template.class, "data.template");
        require(
                modelMaxLength >= 16 && modelMaxLength <= 1 << 20,
                "data.model_max_length",
                modelMaxLength,
                "16..1048576");
        ConfigName.requirePresent(imageAspectRatio, AspectMode.class, "data.image_aspect_ratio");
        require(decodeThreads >= 1 && decodeThreads <= 1024, "data.decode_threads", decodeThreads, "1..1024");
    }
}
