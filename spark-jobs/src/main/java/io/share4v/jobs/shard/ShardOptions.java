package io.share4v.jobs.shard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The sharding options shared by the spark-submit entry point ({@link ShardJob}) and {@code bin/share4v shard}
 * (which mixes them in with {@code @Mixin} and adds its local-only flags). Values stay strings: {@code --out}
 * may be a Hadoop URI such as {@code hdfs:///shards}, which {@code Path.of} would mangle.
 */
public final class ShardOptions {
    @Option(names = "--manifest", arity = "1..*", paramLabel = "FILE", description = "dataset manifest YAML file(s)")
    public List<String> manifests = new ArrayList<>();

    @Option(names = "--data-root", paramLabel = "DIR", description = "folder manifest paths resolve against")
    public String dataRoot;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "folder with tokenizer.model")
    public String tokenizer;

    /** Optional here (a config file may name {@code output_dir}); {@code share4v shard} makes it required. */
    @Option(names = "--out", paramLabel = "DIR", description = "output folder")
    public String out;

    @Option(names = "--config", paramLabel = "FILE", description = "shard settings YAML (default: built-in defaults)")
    public String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting (repeatable)")
    public List<String> sets = new ArrayList<>();

    @Option(names = "--overwrite", description = "replace a non-empty --out")
    public boolean overwrite;

    /** The given options as {@link ShardConfig} keys, values as typed (absent options are left out). */
    public Map<String, Object> keys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        if (!manifests.isEmpty()) {
            keys.put("manifests", List.copyOf(manifests));
        }
        if (dataRoot != null) {
            keys.put("data_root", dataRoot);
        }
        if (tokenizer != null) {
            keys.put("tokenizer_dir", tokenizer);
        }
        if (out != null) {
            keys.put("output_dir", out);
        }
        if (overwrite) {
            keys.put("overwrite", true);
        }
        return keys;
    }
}
