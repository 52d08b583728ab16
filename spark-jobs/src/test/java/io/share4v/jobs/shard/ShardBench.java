package io.share4v.jobs.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.image.AspectMode;
import io.share4v.data.manifest.DatasetManifest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Sharding throughput on this machine (bin/bench-shard; no timing assertions anywhere):
 * {@code ShardBench text|image RECORDS MASTER WORKDIR}. Generates the input (text-only records, or image
 * records cycling over the sample's real photos), runs the whole job and prints records/s, records/s per
 * core, MB/s written and peak heap/RSS.
 */
public final class ShardBench {
    private ShardBench() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        long n = Long.parseLong(args[1]);
        String master = args[2];
        Path work = Path.of(args[3]).toAbsolutePath();
        Files.createDirectories(work);
        Path json = work.resolve(kind + "-" + n + ".json");
        if (!Files.exists(json)) {
            if (kind.equals("text")) {
                writeText(json, n);
            } else {
                writeImages(json, n, work.resolve("bench"));
            }
        }
        Path out = work.resolve("out-" + kind);
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put(
                "tokenizer_dir",
                Path.of(System.getProperty("share4v.home", ".."))
                        .resolve("data-manifests/sample/tokenizer")
                        .toAbsolutePath()
                        .toString());
        keys.put("output_dir", out.toString());
        keys.put("overwrite", true);
        ShardConfig cfg = ShardConfig.load(null, keys, List.of())
                .withDatasets(List.of(DatasetManifest.adHoc(
                        "bench-" + kind,
                        json,
                        kind.equals("text") ? sampleImages() : work,
                        kind.equals("text") ? "v1" : "plain",
                        kind.equals("text") ? AspectMode.PAD : AspectMode.SQUARE)));
        SparkSession spark = ShardJob.kryo(SparkSession.builder().master(master).appName("shard-bench"))
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        int cores = spark.sparkContext().defaultParallelism();
        try {
            long t0 = System.nanoTime();
            ShardResult r = ShardPipeline.run(spark, cfg);
            double s = (System.nanoTime() - t0) / 1e9;
            long bytes =
                    r.shards().stream().mapToLong(ShardResult.ShardFile::bytes).sum();
            System.out.print(r.summary());
            System.out.printf(
                    Locale.ROOT,
                    "BENCH kind=%s records=%d input_mb=%.1f cores=%d seconds=%.1f records_per_s=%.0f "
                            + "records_per_s_per_core=%.0f written_mb=%.1f written_mb_per_s=%.1f peak_heap_mb=%d peak_rss_mb=%d%n",
                    kind,
                    r.recordsRead(),
                    Files.size(json) / 1e6,
                    cores,
                    s,
                    r.recordsRead() / s,
                    r.recordsRead() / s / cores,
                    bytes / 1e6,
                    bytes / 1e6 / s,
                    peakHeapMb(),
                    peakRssMb());
        } finally {
            spark.stop();
        }
    }

    static void writeText(Path json, long n) throws IOException {
        // BigJson records average ~770 bytes
        BigJson.write(json, n * 770, 11);
    }

    /**
     * Caption pairs over distinct JPEGs: random crops of the sample's real photos with seeded noise, so no
     * two image files share bytes (identical files would be dictionary-encoded by Parquet and compressed
     * away by snappy, overstating MB/s).
     */
    static void writeImages(Path json, long n, Path imageDir) throws IOException {
        String[] photos = {
            "coco/train2017/000000000009.jpg",
            "coco/train2017/000000000025.jpg",
            "coco/train2017/000000000030.jpg",
            "sam/images/sa_227.jpg",
            "web-landmark/images/hubble.jpg",
            "coco/train2017/000000000042.jpg",
            "coco/train2017/000000000077.jpg",
            "sam/images/sa_1010.jpg"
        };
        java.awt.image.BufferedImage[] base = new java.awt.image.BufferedImage[photos.length];
        for (int i = 0; i < photos.length; i++) {
            base[i] =
                    javax.imageio.ImageIO.read(sampleImages().resolve(photos[i]).toFile());
        }
        Files.createDirectories(imageDir);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        ObjectMapper m = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(json, StandardCharsets.UTF_8)) {
            w.write("[\n");
            for (long i = 0; i < n; i++) {
                java.awt.image.BufferedImage b = base[(int) (i % base.length)];
                int cw = Math.max(64, b.getWidth() - rnd.nextInt(40));
                int ch = Math.max(64, b.getHeight() - rnd.nextInt(40));
                java.awt.image.BufferedImage img =
                        new java.awt.image.BufferedImage(cw, ch, java.awt.image.BufferedImage.TYPE_INT_RGB);
                int ox = rnd.nextInt(b.getWidth() - cw + 1);
                int oy = rnd.nextInt(b.getHeight() - ch + 1);
                for (int y = 0; y < ch; y++) {
                    for (int x = 0; x < cw; x++) {
                        int p = b.getRGB(ox + x, oy + y);
                        int d = rnd.nextInt(9) - 4;
                        int r = Math.min(255, Math.max(0, ((p >> 16) & 255) + d));
                        int g = Math.min(255, Math.max(0, ((p >> 8) & 255) + d));
                        int bl = Math.min(255, Math.max(0, (p & 255) + d));
                        img.setRGB(x, y, (r << 16) | (g << 8) | bl);
                    }
                }
                String rel = "bench/" + i + ".jpg";
                javax.imageio.ImageIO.write(
                        img, "jpg", imageDir.resolve(i + ".jpg").toFile());
                ObjectNode o = m.createObjectNode();
                o.put("id", "img-" + i);
                o.put("image", rel);
                ArrayNode c = o.putArray("conversations");
                c.addObject().put("from", "human").put("value", "<image>\nWrite a detailed description of the image.");
                c.addObject()
                        .put("from", "gpt")
                        .put(
                                "value",
                                "A photo number " + i + " showing a scene with several "
                                        + "objects, some people and a clear sky over the buildings in the distance.");
                w.write((i == 0 ? "" : ",\n") + m.writeValueAsString(o));
            }
            w.write("\n]\n");
        }
    }

    static Path sampleImages() {
        return Path.of(System.getProperty("share4v.home", ".."))
                .resolve("data-manifests/sample/images")
                .toAbsolutePath()
                .normalize();
    }

    static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    static long peakRssMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }
}
