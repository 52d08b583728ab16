package io.share4v.cli;

import io.share4v.common.config.ConfigChecks;
import io.share4v.data.record.JsonArrayStream;
import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.text.MismatchPolicy;
import io.share4v.data.text.SamplePreprocessor;
import io.share4v.data.text.TokenizeJson;
import io.share4v.data.text.TokenizedSample;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v bench-preprocess}: throughput of tokenize + label-mask ({@link SamplePreprocessor#process}) over
 * the records of one LLaVA JSON file, held in memory so that JSON parsing and I/O are not timed. Prints one
 * JSON line. With {@code --dump} it also writes the {@code share4v tokenize} line of every record, which
 * {@code bin/bench-preprocess} compares with the Python reference's dump.
 *
 * <p>The figure it prints is what bin/bench-preprocess compares with the same preprocessing in Python over
 * SentencePiece (docs/benchmarks.md); it is a measurement for a human to read, never asserted by a test.
 */
@Command(
        name = "bench-preprocess",
        mixinStandardHelpOptions = true,
        description =
                "Measure tokenize + label-mask throughput (records/s) on a LLaVA JSON file; prints one JSON line.")
public final class BenchPreprocessCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RecordInputOptions recordInput;

    @Option(
            names = "--template",
            defaultValue = "v1",
            paramLabel = "NAME",
            description = "Conversation template (default: ${DEFAULT-VALUE}).")
    String template;

    @Option(
            names = "--seconds",
            defaultValue = "10",
            paramLabel = "S",
            description = "Measured time after the warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "3",
            paramLabel = "S",
            description = "Untimed run first, so the JIT has compiled the hot path (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    // Java worker threads, not BLAS threads: --threads means the OpenBLAS pool in the model commands.
    @Option(
            names = "--workers",
            defaultValue = "1",
            paramLabel = "N",
            description = "Java worker threads sharing one preprocessor (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--cold-cache",
            description = "Run every timed pass over the records on new threads. The tokenizer's word cache is per "
                    + "thread, so each pass then starts with an empty cache and gains nothing from earlier passes "
                    + "over the same records (default: threads live for the whole run, the cache stays warm).")
    boolean coldCache;

    @Option(
            names = "--dump",
            paramLabel = "FILE.jsonl",
            description = "Also write the tokenize line of every record (input order) to this file.")
    Path dump;

    /** The parsed input: records the preprocessor can see, plus the elements that failed to parse. */
    private record Loaded(List<LlavaRecord> records, List<String> dumpLines, int malformed) {}

    /** One untimed pass: what the dump and the reject/mismatch counts are made of. */
    private record Pass(long tokens, int rejected, long mismatches, List<String> lines) {}

    @Override
    public Integer call() throws Exception {
        ConfigChecks.require(seconds > 0, "--seconds", seconds, "> 0");
        ConfigChecks.require(warmupSeconds >= 0, "--warmup-seconds", warmupSeconds, ">= 0");
        ConfigChecks.positive("--workers", workers);
        SamplePreprocessor pre = recordInput.preprocessor(template, MismatchPolicy.KEEP_IGNORED);
        Loaded loaded = load();
        if (loaded.records().isEmpty()) {
            throw new IllegalArgumentException(
                    "input file " + recordInput.input + " has no records the preprocessor can use");
        }
        Pass pass = checkPass(pre, loaded.records());
        if (dump != null) {
            writeDump(loaded.dumpLines(), pass.lines());
        }
        // Rejected records stay in the timed loop: the reference pays for them too (it crashes on them).
        runFor(pre, loaded.records(), warmupSeconds);
        long[] done =
                coldCache ? runColdPasses(pre, loaded.records(), seconds) : runFor(pre, loaded.records(), seconds);
        double elapsed = done[2] / 1e9;
        long processed = done[0];
        double rps = processed / elapsed;
        PrintWriter out = spec.commandLine().getOut();
        // The key stays "threads" (the worker count): bin/bench-preprocess's summary reads it under that name.
        out.println(String.format(
                Locale.ROOT,
                "{\"side\":\"java\",\"records_per_s\":%.1f,\"records_per_s_per_thread\":%.1f,\"tokens_per_s\":%.0f,"
                        + "\"mean_tokens_per_record\":%.2f,\"records\":%d,\"processed\":%d,\"seconds\":%.3f,"
                        + "\"threads\":%d,\"rejected\":%d,\"mismatches\":%d,\"template\":\"%s\",\"max_length\":%d,"
                        + "\"word_cache\":\"%s\"}",
                rps,
                rps / workers,
                done[1] / elapsed,
                (double) pass.tokens() / (loaded.records().size() - pass.rejected()),
                loaded.records().size() + loaded.malformed(),
                processed,
                elapsed,
                workers,
                pass.rejected() + loaded.malformed(),
                pass.mismatches(),
                template,
                recordInput.maxLength,
                coldCache ? "cold" : "warm"));
        out.flush();
        return 0;
    }

    private Loaded load() throws IOException {
        List<LlavaRecord> records = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int malformed = 0;
        try (JsonArrayStream elements = recordInput.openRecords()) {
            JsonArrayStream.Element e;
            while ((e = elements.nextOrNull()) != null) {
                try {
                    LlavaRecord r = LlavaRecord.fromJson(e.node());
                    records.add(r);
                    lines.add(null); // filled in by checkPass, in the same order
                } catch (RecordRejectedException ex) {
                    malformed++;
                    lines.add(TokenizeJson.rejected(RecordInputOptions.usableId(e.node()), ex));
                }
            }
        }
        return new Loaded(records, lines, malformed);
    }

    /** Processes every record once, counting rejects and mismatches and filling the dump lines. */
    private Pass checkPass(SamplePreprocessor pre, List<LlavaRecord> records) {
        List<String> lines = dump == null ? null : new ArrayList<>(records.size());
        long tokens = 0;
        int rejected = 0;
        long mismatchesBefore = pre.mismatchCount();
        for (LlavaRecord r : records) {
            try {
                TokenizedSample s = pre.process(r);
                tokens += s.inputIds().length;
                if (lines != null) {
                    lines.add(TokenizeJson.line(s));
                }
            } catch (RecordRejectedException ex) {
                rejected++;
                if (lines != null) {
                    lines.add(TokenizeJson.rejected(r.id(), ex));
                }
            }
        }
        return new Pass(tokens, rejected, pre.mismatchCount() - mismatchesBefore, lines);
    }

    /** {@code slots} holds the lines of unparseable elements and null where a record's line from the pass goes. */
    private void writeDump(List<String> slots, List<String> recordLines) throws IOException {
        int next = 0;
        try (BufferedWriter w = Files.newBufferedWriter(dump, StandardCharsets.UTF_8)) {
            for (String line : slots) {
                w.write(line != null ? line : recordLines.get(next++));
                w.newLine();
            }
        }
    }

    /**
     * Runs {@code process} over the records, round-robin, on {@code workers} threads until the time is up.
     * Returns {records processed, ids produced, elapsed nanoseconds}. Each thread starts at a different offset so
     * that they do not walk the same records in step.
     */
    private long[] runFor(SamplePreprocessor pre, List<LlavaRecord> records, double secs) throws Exception {
        if (secs <= 0) {
            return new long[] {0, 0, 1};
        }
        long[][] perThread = new long[workers][2];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        long[] deadline = new long[1];
        for (int t = 0; t < workers; t++) {
            final int id = t;
            Thread th = new Thread(
                    () -> {
                        try {
                            start.await();
                            long n = 0;
                            long ids = 0;
                            int i = (int) ((long) records.size() * id / workers);
                            final long end = deadline[0];
                            do {
                                // Check the clock every 64 records only; nanoTime is cheap but not free.
                                for (int k = 0; k < 64; k++) {
                                    try {
                                        ids += pre.process(records.get(i)).inputIds().length;
                                    } catch (RecordRejectedException ex) {
                                        // counted once in checkPass
                                    }
                                    n++;
                                    if (++i == records.size()) {
                                        i = 0;
                                    }
                                }
                            } while (System.nanoTime() < end);
                            perThread[id][0] = n;
                            perThread[id][1] = ids;
                        } catch (Throwable ex) {
                            failure.compareAndSet(null, ex);
                        }
                    },
                    "bench-preprocess-" + t);
            running.add(th);
            th.start();
        }
        long t0 = System.nanoTime();
        deadline[0] = t0 + (long) (secs * 1e9);
        start.countDown();
        for (Thread th : running) {
            th.join();
        }
        long elapsed = System.nanoTime() - t0;
        if (failure.get() != null) {
            throw new IllegalStateException("a benchmark thread failed: " + failure.get(), failure.get());
        }
        long n = 0;
        long ids = 0;
        for (long[] p : perThread) {
            n += p[0];
            ids += p[1];
        }
        return new long[] {n, ids, elapsed};
    }

    /**
     * Whole passes over the records, each on {@code workers} new threads (an equal share each), until the
     * time is up; only the passes are timed. Returns the same triple as {@link #runFor}.
     */
    private long[] runColdPasses(SamplePreprocessor pre, List<LlavaRecord> records, double secs) throws Exception {
        long n = 0;
        long ids = 0;
        long elapsed = 0;
        long[] perThreadIds = new long[workers];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        while (elapsed < secs * 1e9) {
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < workers; t++) {
                final int id = t;
                final int from = (int) ((long) records.size() * t / workers);
                final int to = (int) ((long) records.size() * (t + 1) / workers);
                running.add(new Thread(
                        () -> {
                            try {
                                long sum = 0;
                                for (int i = from; i < to; i++) {
                                    try {
                                        sum += pre.process(records.get(i)).inputIds().length;
                                    } catch (RecordRejectedException ex) {
                                        // counted once in checkPass
                                    }
                                }
                                perThreadIds[id] = sum;
                            } catch (Throwable ex) {
                                failure.compareAndSet(null, ex);
                            }
                        },
                        "bench-preprocess-cold-" + t));
            }
            long t0 = System.nanoTime();
            for (Thread th : running) {
                th.start();
            }
            for (Thread th : running) {
                th.join();
            }
            elapsed += System.nanoTime() - t0;
            if (failure.get() != null) {
                throw new IllegalStateException("a benchmark thread failed: " + failure.get(), failure.get());
            }
            n += records.size();
            for (long v : perThreadIds) {
                ids += v;
            }
        }
        return new long[] {n, ids, elapsed};
    }
}
