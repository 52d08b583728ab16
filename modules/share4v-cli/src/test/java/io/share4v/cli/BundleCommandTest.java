package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.Npy;
import io.share4v.tensor.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v bundle} end to end: builds one bundle from this test's class path (our modules are
 * {@code target/classes} folders here, so the packing path is exercised), checks its size and contents, and runs
 * its launcher with an empty environment against the same commands run in-process.
 */
class BundleCommandTest {
    private static final List<String> EXCLUDED = List.of("spark", "hadoop", "parquet", "nd4j", "javacpp", "openblas");

    @TempDir
    static Path shared;

    static Path bundle;
    static CliRun built;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildBundle() {
        bundle = shared.resolve("bundle");
        built = CliRun.of("bundle", "--out", bundle.toString());
    }

    @Test
    void writesLauncherRuntimeAndAllowedJarsWithinSixtyMiB() throws IOException {
        assertEquals(0, built.exit(), built.err());
        assertTrue(built.out().contains("MiB in all"), built.out());
        long total = BundleCommand.diskUsage(bundle);
        assertTrue(total <= 60L << 20, "bundle is " + BundleCommand.mib(total));

        assertTrue(Files.isExecutable(bundle.resolve("share4v")));
        assertTrue(Files.isExecutable(bundle.resolve("runtime/bin/java")));
        assertTrue(Files.readString(bundle.resolve("README.txt")).contains("tokenize, pixels"));
        String version = Files.readString(bundle.resolve("VERSION"));
        assertTrue(version.startsWith("share4v 0.1.0-SNAPSHOT\ncommit "), version);
        assertTrue(version.contains("java " + System.getProperty("java.runtime.version")), version);

        Set<String> artifacts = new HashSet<>();
        try (Stream<Path> files = Files.walk(bundle.resolve("lib"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                assertTrue(name.endsWith(".jar"), name);
                String lower = name.toLowerCase(Locale.ROOT);
                EXCLUDED.forEach(x -> assertFalse(lower.contains(x), name));
                artifacts.add(BundleJars.artifactOf(f));
                assertNoExcludedPackages(f);
            }
        }
        assertEquals(BundleJars.REQUIRED, artifacts);
    }

    private static void assertNoExcludedPackages(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(e -> {
                String n = e.getName();
                assertFalse(
                        n.startsWith("org/apache/spark/")
                                || n.startsWith("org/apache/hadoop/")
                                || n.startsWith("org/apache/parquet/")
                                || n.startsWith("org/nd4j/")
                                || n.startsWith("org/bytedeco/")
                                || n.endsWith(".so"),
                        jar.getFileName() + " holds " + n);
            });
        }
    }

    @Test
    void tokenizeUnderAnEmptyEnvironmentPrintsTheSameBytesAsInProcess() throws Exception {
        String[] args = {
            "tokenize",
            "--tokenizer",
            CliRun.TOKENIZER.toAbsolutePath().toString(),
            "--template",
            "v1",
            "--input",
            CliRun.TOKENIZER.resolveSibling("sample-mix.json").toAbsolutePath().toString()
        };
        CliRun inProcess = CliRun.of(args);
        assertEquals(0, inProcess.exit(), inProcess.err());
        Launched fromBundle = launch(Map.of(), args);
        assertEquals(0, fromBundle.exit(), fromBundle.err());
        assertFalse(inProcess.out().isEmpty());
        assertArrayEquals(inProcess.out().getBytes(StandardCharsets.UTF_8), fromBundle.out());
    }

    @Test
    void pixelsUnderAnEmptyEnvironmentWritesTheSameNpyAsInProcess() throws Exception {
        Path image = tmp.resolve("chelsea_90x60.jpg");
        try (InputStream in = getClass().getResourceAsStream("/pixels/chelsea_90x60.jpg")) {
            Files.copy(in, image);
        }
        Path inProcessNpy = tmp.resolve("in-process.npy");
        Path bundleNpy = tmp.resolve("bundle.npy");
        CliRun inProcess =
                CliRun.of("pixels", "--image", image.toString(), "--aspect", "pad", "--out", inProcessNpy.toString());
        assertEquals(0, inProcess.exit(), inProcess.err());
        Launched fromBundle = launch(
                Map.of(), "pixels", "--image", image.toString(), "--aspect", "pad", "--out", bundleNpy.toString());
        assertEquals(0, fromBundle.exit(), fromBundle.err());
        assertArrayEquals(Files.readAllBytes(inProcessNpy), Files.readAllBytes(bundleNpy));
    }

    @Test
    void helpListsTheBundledCommands() throws Exception {
        Launched help = launch(Map.of(), "--help");
        assertEquals(0, help.exit(), help.err());
        String out = new String(help.out(), StandardCharsets.UTF_8);
        for (String command : List.of("tokenize", "pixels", "forward", "generate", "bench-step", "bench-decode")) {
            assertTrue(out.contains(command), command + " in " + out);
        }
        assertFalse(out.contains("shard"), out);
        Launched forwardHelp = launch(Map.of(), "forward", "--help");
        assertEquals(0, forwardHelp.exit(), forwardHelp.err());
        String backendHelp = new String(forwardHelp.out(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertTrue(backendHelp.contains("Default: java"), backendHelp);
    }

    @Test
    void aFullInstallCommandIsNamedAsNotInThisBundleWithoutAStackTrace() throws Exception {
        Launched shard = launch(Map.of(), "shard", "--config", "c.yaml");
        assertEquals(2, shard.exit());
        assertTrue(shard.err().contains("'shard' is not in this bundle: it runs on Spark"), shard.err());
        assertFalse(shard.err().contains("Exception") || shard.err().contains("\tat "), shard.err());
        assertEquals(0, shard.out().length);
    }

    @Test
    void forwardUnderAnEmptyEnvironmentWritesWhatBinShare4vWritesAndLoadsNoNd4j() throws Exception {
        Path req = tmp.resolve("req.json");
        GoldenModel.writeImage(0, tmp.resolve("img/a.npy"));
        GoldenModel.writeImage(2, tmp.resolve("img/b.npy"));
        Files.writeString(
                req,
                "{\"input_ids\": " + ForwardCommandTest.IDS + ", \"labels\": " + ForwardCommandTest.LABELS
                        + ", \"images\": [\"img/a.npy\", \"img/b.npy\"]}");
        Path out = tmp.resolve("out.npz");
        List<String> args = List.of(
                "forward",
                "--model",
                GoldenModel.CHECKPOINT.toAbsolutePath().toString(),
                "--request",
                req.toString(),
                "--out",
                out.toString(),
                "--backend",
                "java");
        CliRun inProcess = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, inProcess.exit(), inProcess.err());
        assertTrue(inProcess.out().contains("loss"), inProcess.out());
        Map<String, Npy.FloatArray> want = Npz.readFloat32(out);

        Files.delete(out);
        Launched fromBundle = launch(Map.of(), args.toArray(String[]::new));
        assertEquals(0, fromBundle.exit(), fromBundle.err());
        assertEquals(inProcess.out(), new String(fromBundle.out(), StandardCharsets.UTF_8));
        assertSameArrays(want, out);

        // the same with --kernels (the option's first name) and with no backend named: java is the bundle's default
        Path log = tmp.resolve("classes.log");
        for (List<String> backend : List.of(List.of("--kernels", "java"), List.<String>of())) {
            Files.delete(out);
            List<String> run = new ArrayList<>(args.subList(0, args.size() - 2));
            run.addAll(backend);
            Launched again = launch(
                    Map.of("SHARE4V_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), run.toArray(String[]::new));
            assertEquals(0, again.exit(), again.err());
            assertSameArrays(want, out);
            assertTrue(again.err().contains("backend java"), again.err());
            String loaded = Files.readString(log);
            assertTrue(loaded.contains("io.share4v.model.llava.LlavaModel "), "the model ran");
            assertFalse(loaded.contains("org.nd4j.") || loaded.contains("org.bytedeco."), "ND4J classes were loaded");
        }
    }

    /** The same arrays, bit for bit (the .npz bytes differ: zip entries carry the time they were written). */
    private static void assertSameArrays(Map<String, Npy.FloatArray> want, Path npz) throws IOException {
        Map<String, Npy.FloatArray> got = Npz.readFloat32(npz);
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) {
            assertArrayEquals(want.get(name).shape(), got.get(name).shape(), name);
            assertArrayEquals(want.get(name).data(), got.get(name).data(), name);
        }
    }

    @Test
    void generateUnderAnEmptyEnvironmentPrintsWhatBinShare4vPrints() throws Exception {
        GoldenModel.writeImage(0, tmp.resolve("img0.npy"));
        int[] prompt = GoldenModel.FIXTURES.ints("generate/image_prompt_ids.npy");
        Path req = tmp.resolve("image.json");
        Files.writeString(req, "{\"input_ids\": [" + Arrays.toString(prompt) + "], \"images\": [\"img0.npy\"]}");
        String[] args = {
            "generate",
            "--model",
            GoldenModel.CHECKPOINT.toAbsolutePath().toString(),
            "--request",
            req.toString(),
            "--max-new-tokens",
            "8",
            "--print-ids",
            "--backend",
            "java"
        };
        CliRun inProcess = CliRun.of(args);
        assertEquals(0, inProcess.exit(), inProcess.err());
        Launched fromBundle = launch(Map.of(), args);
        assertEquals(0, fromBundle.exit(), fromBundle.err());
        assertFalse(inProcess.out().isBlank());
        assertEquals(inProcess.out(), new String(fromBundle.out(), StandardCharsets.UTF_8));
    }

    @Test
    void aTinyModelMadeByTheBundleGivesTheSameWeightsAsTheFullInstall() throws Exception {
        Path tok = CliRun.TOKENIZER.toAbsolutePath().normalize();
        Path mine = tmp.resolve("tiny-bundle");
        Path theirs = tmp.resolve("tiny-full");
        Launched fromBundle =
                launch(Map.of(), "make-tiny-model", "--out", mine.toString(), "--tokenizer", tok.toString());
        assertEquals(0, fromBundle.exit(), fromBundle.err());
        CliRun inProcess = CliRun.of("make-tiny-model", "--out", theirs.toString(), "--tokenizer", tok.toString());
        assertEquals(0, inProcess.exit(), inProcess.err());
        assertArrayEquals(
                Files.readAllBytes(theirs.resolve("model.safetensors")),
                Files.readAllBytes(mine.resolve("model.safetensors")));
    }

    @Test
    void theBenchmarksRunFromTheBundleWithTheFullInstallsFlags() throws Exception {
        String model = GoldenModel.CHECKPOINT.toAbsolutePath().toString();
        Launched step = launch(
                Map.of(),
                "bench-step",
                "--model",
                model,
                "--batch",
                "1",
                "--text-len",
                "3",
                "--steps",
                "1",
                "--warmup",
                "0",
                "--threads",
                "1",
                "--no-gemm-peak",
                "--profile");
        assertEquals(0, step.exit(), step.err());
        String stepLine = new String(step.out(), StandardCharsets.UTF_8);
        assertTrue(stepLine.contains("\"bench\":\"step\"") && stepLine.contains("\"kernels\":\"scalar\""), stepLine);
        Launched decode = launch(
                Map.of(),
                "bench-decode",
                "--model",
                model,
                "--new-tokens",
                "3",
                "--prompt-len",
                "4",
                "--runs",
                "1",
                "--kernels",
                "java");
        assertEquals(0, decode.exit(), decode.err());
        assertTrue(new String(decode.out(), StandardCharsets.UTF_8).contains("\"tokens_per_s\""), decode.err());
    }

    @Test
    void theNd4jBackendIsNamedAsNotInThisBundle() throws Exception {
        Launched run = launch(
                Map.of(),
                "bench-decode",
                "--model",
                GoldenModel.CHECKPOINT.toAbsolutePath().toString(),
                "--new-tokens",
                "2",
                "--backend",
                "nd4j");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("backend nd4j is not in this bundle"), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    }

    @Test
    void theBundleEntryPointLoadsNoSparkNd4jOrFullCliClasses() throws Exception {
        Path log = tmp.resolve("classes.log");
        Launched run = launch(
                Map.of("SHARE4V_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "tokenize",
                "--tokenizer",
                CliRun.TOKENIZER.toAbsolutePath().toString(),
                "--template",
                "plain",
                "--input",
                CliRun.TOKENIZER
                        .resolveSibling("sample-pt.json")
                        .toAbsolutePath()
                        .toString());
        assertEquals(0, run.exit(), run.err());
        String loaded = Files.readString(log);
        assertTrue(loaded.contains("io.share4v.cli.BundleCli "), "class log has the entry point");
        for (String forbidden : List.of(
                "org.apache.spark.",
                "org.nd4j.",
                "org.bytedeco.",
                "io.share4v.cli.ShardCommand ",
                "io.share4v.cli.Share4vCli ")) {
            assertFalse(loaded.contains(forbidden), forbidden + " was loaded");
        }
    }

    @Test
    void everyFullCliCommandIsBundledOrExplained() {
        Set<String> known = new HashSet<>(BundleCli.commands());
        known.addAll(BundleCli.NOT_IN_BUNDLE.keySet());
        known.add("help");
        Set<String> full = Share4vCli.commandLine().getSubcommands().keySet();
        assertTrue(known.containsAll(full), "no bundle story for " + full);
        assertEquals(
                List.of("tokenize", "pixels", "forward", "generate", "bench-step", "bench-decode", "make-tiny-model"),
                BundleCli.commands());
    }

    @Test
    void refusesANonEmptyFolderAndDoesNotReplaceOneThatIsNoBundle() throws IOException {
        Path dir = tmp.resolve("busy");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        CliRun plain = CliRun.of("bundle", "--out", dir.toString());
        assertEquals(2, plain.exit());
        assertTrue(plain.err().contains("not empty"), plain.err());
        CliRun overwrite = CliRun.of("bundle", "--out", dir.toString(), "--overwrite");
        assertEquals(2, overwrite.exit());
        assertTrue(overwrite.err().contains("not a share4v bundle"), overwrite.err());
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    /** The bundle's launcher run with exactly {@code env} as its environment (empty: as under env -i). */
    private Launched launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bundle.resolve("share4v").toString());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bundle run timed out");
        return new Launched(p.exitValue(), out, Files.readString(err));
    }

    private record Launched(int exit, byte[] out, String err) {}
}
