package io.share4v.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/gpu-discovery.sh} prints what Spark's resource parser accepts: the CUDA ordinals the executor sees
 * (renumbered 0..k-1 under CUDA_VISIBLE_DEVICES, else nvidia-smi's indices), and fails when there is no GPU.
 */
class GpuDiscoveryScriptTest {
    private static final Path SCRIPT =
            Path.of("../conf/gpu-discovery.sh").toAbsolutePath().normalize();

    @TempDir
    Path bin;

    @Test
    void visibleDevicesAreRenumberedAsCudaDoes() throws Exception {
        Result r = run(Map.of("CUDA_VISIBLE_DEVICES", "2,3"), null);
        assertEquals(0, r.exit, r.err);
        assertEquals(List.of("0", "1"), addresses(r.out));
    }

    @Test
    void withoutVisibleDevicesEveryGpuNvidiaSmiListsIsOffered() throws Exception {
        Result r = run(Map.of(), "0\n1\n2\n");
        assertEquals(0, r.exit, r.err);
        assertEquals(List.of("0", "1", "2"), addresses(r.out));
    }

    @Test
    void noGpuIsAnErrorThatSaysWhy() throws Exception {
        Result none = run(Map.of(), null);
        assertEquals(1, none.exit);
        assertTrue(none.err.contains("no CUDA_VISIBLE_DEVICES and no nvidia-smi"), none.err);
        Result hidden = run(Map.of("CUDA_VISIBLE_DEVICES", "-1"), null);
        assertEquals(1, hidden.exit);
        assertTrue(hidden.err.contains("no GPU visible"), hidden.err);
    }

    private static List<String> addresses(String json) {
        ResourceInformation info = ResourceInformation.parseJson(json.trim());
        assertEquals("gpu", info.name());
        return List.of(info.addresses());
    }

    private record Result(int exit, String out, String err) {}

    /** Runs the script with only {@code env} and a PATH holding a fake nvidia-smi when {@code smiOutput} is given. */
    private Result run(Map<String, String> env, String smiOutput) throws IOException, InterruptedException {
        if (smiOutput != null) {
            Path smi = bin.resolve("nvidia-smi");
            Files.writeString(smi, "#!/bin/sh\nprintf '" + smiOutput.replace("\n", "\\n") + "'\n");
            smi.toFile().setExecutable(true);
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString());
        pb.environment().clear();
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }
}
