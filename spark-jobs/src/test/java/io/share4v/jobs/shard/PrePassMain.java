package io.share4v.jobs.shard;

import io.share4v.data.image.AspectMode;
import io.share4v.data.manifest.DatasetManifest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Runs the driver pre-pass alone (for the streaming test's forked small-heap JVM): {@code PrePassMain
 * FILE.json STAGING_DIR}. Prints {@code records=N peak_heap_mb=M}.
 */
public final class PrePassMain {
    private PrePassMain() {}

    public static void main(String[] args) throws Exception {
        Path json = Path.of(args[0]);
        DatasetManifest m = DatasetManifest.adHoc("big", json, json.getParent(), "v1", AspectMode.PAD);
        PrePass.Result r = PrePass.run(
                List.of(m), json.getParent(), new org.apache.hadoop.fs.Path(args[1]), new Configuration(), 5000);
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.println("records=" + r.totalRecords() + " peak_heap_mb=" + (peak >> 20));
    }
}
