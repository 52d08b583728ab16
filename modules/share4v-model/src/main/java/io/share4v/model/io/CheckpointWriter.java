package io.share4v.model.io;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.model.clip.ClipLayout;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.ops.Activation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Writes a flat parameter buffer as an HF model directory that transformers and the reference code load:
 * {@code config.json} (the {@link LlavaConfig} as HF keys, {@code mm_vision_tower} kept as given), the
 * projector + LLM weights as safetensors sharded at {@link Options#maxShardBytes()} exactly as
 * {@code save_pretrained} shards (fill in layout order, a new shard when the next tensor would pass the
 * limit; {@code model.safetensors.index.json} with {@code metadata.total_size} and {@code weight_map}),
 * the tokenizer files, and optionally the vision tower as its own {@code CLIPVisionModel} directory
 * ({@code vision_tower/}, what stage 1 saves once the tower is partly trained).
 */
public final class CheckpointWriter {
    /** HF's default {@code max_shard_size} ("5GB" = 5e9 bytes). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    /**
     * Where a model directory keeps a vision tower of its own (trained in stage 1, or a tiny model's), as the
     * reference's stage-1 output does; {@code mm_vision_tower} then names it relative to the model directory.
     */
    public static final String VISION_TOWER_DIR = "vision_tower";
    /** Builds the JSON files this writer emits (reading is {@code JsonFile}'s job). */
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tokenizer files copied when present in the tokenizer directory. */
    static final List<String> TOKENIZER_FILES = List.of(
            "tokenizer.model",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "added_tokens.json",
            "tokenizer.json",
            "generation_config.json");

    /**
     * @param maxShardBytes    shard size limit in bytes
     * @param dtype            F32 (master weights as they are) or BF16 (what the reference releases)
     * @param tokenizerDir     directory whose tokenizer files are copied, or null
     * @param visionTowerSubdir when non-null, the tower is written to {@code outDir/<this>} as a CLIPVisionModel
     */
    public record Options(long maxShardBytes, DType dtype, Path tokenizerDir, String visionTowerSubdir) {
        public Options {
            if (maxShardBytes < 1) {
                throw new IllegalArgumentException("maxShardBytes = " + maxShardBytes + " is invalid: expected >= 1");
            }
            if (dtype != DType.F32 && dtype != DType.BF16) {
                throw new IllegalArgumentException("dtype = " + dtype + " is invalid: expected F32 or BF16");
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_MAX_SHARD_BYTES, DType.F32, null, null);
        }
    }

    private CheckpointWriter() {}

    /** Writes the model whose flat parameter buffer {@code flat} lives in {@code backend}. */
    public static void write(
            Path outDir, LlavaConfig config, ParamLayout layout, Backend backend, Tensor flat, Options o)
            throws IOException {
        Files.createDirectories(outDir);
        Predicate<String> tower = ClipLayout::isVision;
        writeWeights(outDir, layout, backend, flat, o, n -> !tower.test(n), n -> n);
        writeJson(outDir.resolve("config.json"), llavaConfigJson(config, o.dtype()));
        if (o.tokenizerDir() != null) {
            copyTokenizer(o.tokenizerDir(), outDir);
        }
        if (o.visionTowerSubdir() != null) {
            Path td = outDir.resolve(o.visionTowerSubdir());
            Files.createDirectories(td);
            writeWeights(td, layout, backend, flat, o, tower, n -> n.substring(ClipLayout.TOWER_PREFIX.length()));
            writeJson(td.resolve("config.json"), visionConfigJson(config.vision(), o.dtype()));
        }
    }

    /** Writes the selected tensors as {@code model.safetensors} or shards + index, under {@code rename}d names. */
    static void writeWeights(
            Path dir,
            ParamLayout layout,
            Backend backend,
            Tensor flat,
            Options o,
            Predicate<String> select,
            java.util.function.UnaryOperator<String> rename)
            throws IOException {
        List<List<SafetensorsWriter.Item>> shards = new ArrayList<>();
        shards.add(new ArrayList<>());
        long shardBytes = 0;
        long total = 0;
        for (ParamLayout.Entry e : layout.entries()) {
            if (!select.test(e.name())) {
                continue;
            }
            long bytes = e.size() * o.dtype().size();
            if (shardBytes + bytes > o.maxShardBytes()
                    && !shards.get(shards.size() - 1).isEmpty()) {
                shards.add(new ArrayList<>());
                shardBytes = 0;
            }
            shards.get(shards.size() - 1).add(new SafetensorsWriter.Item(rename.apply(e.name()), e));
            shardBytes += bytes;
            total += bytes;
        }
        if (shards.size() == 1) {
            SafetensorsWriter.write(dir.resolve("model.safetensors"), shards.get(0), backend, flat, o.dtype());
            return;
        }
        Map<String, String> weightMap = new TreeMap<>();
        for (int i = 0; i < shards.size(); i++) {
            String fn = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(fn), shards.get(i), backend, flat, o.dtype());
            for (SafetensorsWriter.Item it : shards.get(i)) {
                weightMap.put(it.name(), fn);
            }
        }
        Files.writeString(
                dir.resolve("model.safetensors.index.json"), indexJson(total, weightMap), StandardCharsets.UTF_8);
    }

    /** The index as transformers writes it: {@code json.dumps(index, indent=2, sort_keys=True) + "\n"}. */
    static String indexJson(long totalSize, Map<String, String> sortedWeightMap) {
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        StringBuilder sb = new StringBuilder("{\n  \"metadata\": {\n    \"total_size\": ")
                .append(totalSize)
                .append("\n  },\n  \"weight_map\": {\n");
        int i = 0;
        for (Map.Entry<String, String> e : sortedWeightMap.entrySet()) {
            sb.append("    \"")
                    .append(enc.quoteAsString(e.getKey()))
                    .append("\": \"")
                    .append(enc.quoteAsString(e.getValue()))
                    .append('"')
                    .append(++i < sortedWeightMap.size() ? ",\n" : "\n");
        }
        return sb.append("  }\n}\n").toString();
    }

    static ObjectNode llavaConfigJson(LlavaConfig c, DType dtype) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures")
                .add(c.modelType().equals("share4v") ? "Share4VLlamaForCausalLM" : "LlavaLlamaForCausalLM");
        n.put("model_type", c.modelType());
        putLlama(n, c.llm());
        n.put("torch_dtype", dtype == DType.BF16 ? "bfloat16" : "float32");
        n.put("mm_vision_tower", c.visionTower());
        n.put("mm_hidden_size", c.projector().inFeatures());
        n.put("mm_projector_type", c.projector().type());
        n.put("mm_vision_select_layer", c.visionSelectLayer());
        n.put("mm_vision_select_feature", c.visionSelectFeature().configName());
        n.put("mm_use_im_start_end", c.useImStartEnd());
        n.put("mm_use_im_patch_token", c.useImPatchToken());
        n.put("image_aspect_ratio", c.imageAspectRatio().configName());
        n.putNull("image_grid_pinpoints");
        n.put("use_mm_proj", true);
        return n;
    }

    private static void putLlama(ObjectNode n, LlamaConfig l) {
        n.put("vocab_size", l.vocabSize());
        n.put("hidden_size", l.hiddenSize());
        n.put("intermediate_size", l.intermediateSize());
        n.put("num_hidden_layers", l.numLayers());
        n.put("num_attention_heads", l.numHeads());
        n.put("num_key_value_heads", l.numKvHeads());
        n.put("rms_norm_eps", l.rmsNormEps());
        n.put("rope_theta", l.ropeTheta());
        n.putNull("rope_scaling");
        n.put("max_position_embeddings", l.maxPositionEmbeddings());
        n.put("hidden_act", hfName(l.hiddenAct()));
        n.put("tie_word_embeddings", l.tieWordEmbeddings());
        n.put("bos_token_id", l.bosTokenId());
        n.put("eos_token_id", l.eosTokenId());
        if (l.padTokenId() >= 0) {
            n.put("pad_token_id", l.padTokenId());
        } else {
            n.putNull("pad_token_id");
        }
        n.put("pretraining_tp", 1);
        n.put("initializer_range", 0.02);
        n.put("use_cache", true);
    }

    static ObjectNode visionConfigJson(ClipVisionConfig v, DType dtype) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add("CLIPVisionModel");
        n.put("model_type", "clip_vision_model");
        n.put("hidden_size", v.hiddenSize());
        n.put("intermediate_size", v.intermediateSize());
        n.put("num_hidden_layers", v.numLayers());
        n.put("num_attention_heads", v.numHeads());
        n.put("image_size", v.imageSize());
        n.put("patch_size", v.patchSize());
        n.put("num_channels", v.numChannels());
        n.put("hidden_act", hfName(v.hiddenAct()));
        n.put("layer_norm_eps", v.layerNormEps());
        n.put("attention_dropout", 0.0);
        n.put("dropout", 0.0);
        n.put("torch_dtype", dtype == DType.BF16 ? "bfloat16" : "float32");
        return n;
    }

    private static String hfName(Activation a) {
        return switch (a) {
            case GELU -> "gelu";
            case QUICK_GELU -> "quick_gelu";
            case SILU -> "silu";
        };
    }

    /** Sorted keys, two-space indent, {@code "key": value}, trailing newline: the shape of HF's to_json_file. */
    private static void writeJson(Path file, ObjectNode n) throws IOException {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter() {
            private static final long serialVersionUID = 1L;

            @Override
            public DefaultPrettyPrinter createInstance() {
                return this;
            }

            @Override
            public void writeObjectFieldValueSeparator(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
                g.writeRaw(": ");
            }
        };
        pp.indentArraysWith(new DefaultIndenter("  ", "\n"));
        pp.indentObjectsWith(new DefaultIndenter("  ", "\n"));
        String s = JSON.copy()
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .writer(pp)
                .writeValueAsString(JSON.convertValue(n, TreeMap.class));
        Files.writeString(file, s + "\n", StandardCharsets.UTF_8);
    }

    private static void copyTokenizer(Path from, Path to) throws IOException {
        int copied = 0;
        for (String f : TOKENIZER_FILES) {
            Path src = from.resolve(f);
            if (Files.isRegularFile(src)) {
                Files.copy(src, to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                copied++;
            }
        }
        if (copied == 0 || !Files.isRegularFile(from.resolve("tokenizer.model"))) {
            throw new CheckpointException(
                    "tokenizer directory " + from + " has no tokenizer.model (expected " + TOKENIZER_FILES + ")");
        }
    }
}
