package io.share4v.eval.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's view of a running job: every few seconds it reads what the tasks appended to the part files since the
 * last look (new bytes only, counting newlines) and logs, per benchmark, answered / total, the answering rate since
 * the job started and the ETA at that rate. The tasks need no channel to the driver: the part files are on a file
 * system both see.
 */
public final class ProgressMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProgressMonitor.class);

    /** One benchmark's part files, read incrementally. */
    private static final class Watched {
        final BenchmarkTask task;
        final long[] offsets;
        final long[] lines;
        long baseline = -1;

        Watched(BenchmarkTask task) {
            this.task = task;
            this.offsets = new long[task.chunks()];
            this.lines = new long[task.chunks()];
        }

        long answered() {
            long n = 0;
            for (long l : lines) {
                n += l;
            }
            return n;
        }
    }

    private final List<Watched> watched = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;

    private ProgressMonitor(List<BenchmarkTask> tasks, long periodSeconds) {
        for (BenchmarkTask t : tasks) {
            watched.add(new Watched(t));
        }
        poll(); // the answers already there (resumed) are the baseline of the rate
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eval-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::logProgress, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    /** Starts logging every {@code periodSeconds}. */
    public static ProgressMonitor start(List<BenchmarkTask> tasks, long periodSeconds) {
        return new ProgressMonitor(tasks, periodSeconds);
    }

    /** Reads what was appended since the last poll; returns the progress lines (one per benchmark). */
    public synchronized List<String> poll() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        List<String> out = new ArrayList<>();
        for (Watched w : watched) {
            for (int c = 0; c < w.offsets.length; c++) {
                readNew(w, c);
            }
            long answered = w.answered();
            if (w.baseline < 0) {
                w.baseline = answered;
            }
            out.add(describe(w.task, answered, answered - w.baseline, seconds));
        }
        return out;
    }

    static String describe(BenchmarkTask t, long answered, long newSinceStart, double seconds) {
        int total = t.questionCount();
        double rate = seconds > 0 ? newSinceStart / seconds : 0;
        String eta = answered >= total ? "done" : rate > 0 ? "ETA " + duration((total - answered) / rate) : "ETA ?";
        return String.format(
                Locale.ROOT,
                "%s: %d/%d answered (%.1f%%), %.2f questions/s, %s",
                t.benchmark(),
                answered,
                total,
                total == 0 ? 100.0 : 100.0 * answered / total,
                rate,
                eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private static void readNew(Watched w, int chunk) {
        Path part = PartFile.of(EvalConfig.localPath(w.task.partsDir()), chunk);
        try {
            if (!Files.exists(part) || Files.size(part) < w.offsets[chunk]) {
                // not there yet, or cut back by a resuming task: count again from the start
                w.offsets[chunk] = 0;
                w.lines[chunk] = 0;
                if (!Files.exists(part)) {
                    return;
                }
            }
            try (InputStream in = Files.newInputStream(part)) {
                in.skipNBytes(w.offsets[chunk]);
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0; ) {
                    for (int i = 0; i < r; i++) {
                        if (buf[i] == '\n') {
                            w.lines[chunk]++;
                        }
                    }
                    w.offsets[chunk] += r;
                }
            }
        } catch (IOException e) {
            log.debug("progress: cannot read {} ({})", part, e.getMessage()); // the next poll tries again
        }
    }

    private void logProgress() {
        try {
            poll().forEach(log::info);
        } catch (RuntimeException e) {
            log.warn("progress: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
