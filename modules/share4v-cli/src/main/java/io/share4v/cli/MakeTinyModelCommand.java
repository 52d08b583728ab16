package io.share4v.cli;

import io.share4v.data.text.LlamaTokenizer;
import io.share4v.model.llava.TinyLlava;
import io.share4v.tensor.backend.Backends;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v make-tiny-model}: a tiny random ShareGPT4V model directory for a tokenizer (by default the bundled
 * sample's LLaMA-2 tokenizer), which forward, generate, the benchmarks and the tiny training configs load like a
 * real checkpoint.
 */
@Command(
        name = "make-tiny-model",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a tiny random ShareGPT4V model (CLIP tower of 28-pixel images, mlp2x_gelu projector, 2-layer"
                    + " LLaMA with GQA) in HF layout: config.json, model.safetensors, vision_tower/, tokenizer files.",
            "Its vocabulary is the tokenizer's, so it reads shards made with that tokenizer."
        })
final class MakeTinyModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "model directory to write")
    Path out;

    @Option(
            names = "--tokenizer",
            paramLabel = "DIR",
            description = "tokenizer directory (default: the bundled sample's, " + ShardCommand.SAMPLE_TOKENIZER
                    + ", in a full install; required in the self-contained bundle)")
    Path tokenizer;

    @Option(names = "--seed", defaultValue = "1", description = "weights seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--overwrite", description = "replace a non-empty --out")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        Path tok = tokenizer != null ? tokenizer : Share4vHome.find().resolve(ShardCommand.SAMPLE_TOKENIZER);
        OutputDirs.refuseNonEmpty(out, overwrite);
        if (Files.isDirectory(out)) {
            deleteRecursively(out); // no file of an older model (another shard count) may survive
        }
        int vocab = LlamaTokenizer.load(tok).vocabSize();
        TinyLlava.write(out, tok, vocab, seed, Backends.create("java"));
        PrintWriter console = spec.commandLine().getOut();
        console.println(
                "wrote " + out + ": tiny ShareGPT4V model, vocabulary " + vocab + " (" + tok + "), seed " + seed);
        console.flush();
        return 0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
