package io.share4v.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.common.json.JsonFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weight files of an HF model directory, found the way {@code from_pretrained} looks for them:
 * {@code model.safetensors}, {@code model.safetensors.index.json}, {@code pytorch_model.bin},
 * {@code pytorch_model.bin.index.json} (transformers 4.31's order: safetensors first, a single file before an index). A sharded index must agree with its shards: every name it
 * maps is in the named shard, and no shard holds a tensor the index does not map there.
 */
public final class WeightFiles {
    private WeightFiles() {}

    /** Every tensor of the model in {@code dir}, with checkpoint names. */
    public static List<StoredTensor> read(Path dir) throws IOException {
        for (String f : new String[] {
            "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"
        }) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p)) {
                return readFile(p);
            }
        }
        throw new CheckpointException("no weights in " + dir + ": expected model.safetensors[.index.json] or "
                + "pytorch_model.bin[.index.json]");
    }

    /** One {@code .safetensors} or {@code .bin} file, or a shard index ({@code *.index.json}), chosen by name. */
    public static List<StoredTensor> readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("missing weight file " + file);
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".index.json")) {
            return readIndexed(file, name.endsWith(".safetensors.index.json"));
        }
        return file.getFileName().toString().endsWith(".safetensors")
                ? SafetensorsReader.read(file).tensors()
                : TorchBinReader.read(file);
    }

    private static List<StoredTensor> readIndexed(Path index, boolean safetensors) throws IOException {
        JsonFile f = JsonFile.read(index, CheckpointException::new);
        JsonNode map = f.node().get("weight_map");
        if (map == null || !map.isObject()) {
            throw f.error("weight_map", map, "an object of tensor name -> shard file");
        }
        Map<String, Set<String>> byShard = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()
                    || e.getValue().asText().contains("/")
                    || e.getValue().asText().contains("\\")) {
                throw f.error(
                        "weight_map",
                        e.getKey() + " maps to " + e.getValue() + ", expected a file name in " + index.getParent());
            }
            byShard.computeIfAbsent(e.getValue().asText(), k -> new LinkedHashSet<>())
                    .add(e.getKey());
        }
        List<StoredTensor> out = new ArrayList<>();
        for (Map.Entry<String, Set<String>> shard : byShard.entrySet()) {
            Path p = index.resolveSibling(shard.getKey());
            if (!Files.isRegularFile(p)) {
                throw new CheckpointException(index + " names shard " + shard.getKey() + ", which is missing");
            }
            List<StoredTensor> ts = safetensors ? SafetensorsReader.read(p).tensors() : TorchBinReader.read(p);
            Set<String> want = new LinkedHashSet<>(shard.getValue());
            for (StoredTensor t : ts) {
                if (!want.remove(t.name())) {
                    throw new CheckpointException(
                            "shard " + p + " holds tensor " + t.name() + ", which " + index + " does not map to it");
                }
                out.add(t);
            }
            if (!want.isEmpty()) {
                throw new CheckpointException(index + " maps " + want + " to " + p + ", which does not hold them");
            }
        }
        return out;
    }
}
