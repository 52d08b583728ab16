package io.share4v.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** torch.save archives: views over shared storages load as PyTorch sees them; code-carrying pickles are refused. */
class TorchBinReaderTest {
    private static float[] load(Backend backend, StoredTensor t) throws IOException {
        Tensor flat = backend.allocate(DType.FLOAT, t.numel());
        new TensorCopier(backend).copy(t, flat, 0);
        return Tensors.floats(flat);
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void viewsParametersAndSharedStoragesMatchTorch(String backendName) throws IOException {
        Backend backend = Backends.create(backendName);
        Map<String, StoredTensor> ts = TorchBinReader.read(IoFixtures.path("views.bin")).stream()
                .collect(Collectors.toMap(StoredTensor::name, t -> t));
        assertEquals(
                List.of("base", "transposed", "slice", "param", "half_row"),
                TorchBinReader.read(IoFixtures.path("views.bin")).stream()
                        .map(StoredTensor::name)
                        .collect(Collectors.toList()));
        assertFalse(ts.get("transposed").isContiguous());
        assertArrayEquals(new long[] {1, 6}, ts.get("transposed").strides());
        for (String k : ts.keySet()) {
            assertArrayEquals(IoFixtures.npy("views_" + k + ".npy"), load(backend, ts.get(k)), k);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "os_system.bin, posix.system",
        "builtins_eval.bin, __builtin__.eval",
        "unknown_class.bin, __main__.Unknown"
    })
    void codeCarryingPicklesAreRefusedWithoutRunningThem(String file, String global) {
        Path marker = Path.of("PWNED_BY_PICKLE");
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> TorchBinReader.read(IoFixtures.path("bad/" + file)));
        assertTrue(e.getMessage().contains("refusing to load"), e.getMessage());
        assertTrue(e.getMessage().contains("references " + global), e.getMessage());
        assertTrue(e.getMessage().contains(file), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void legacyFormatIsRejectedWithAClearMessage() {
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> TorchBinReader.read(IoFixtures.path("bad/legacy.bin")));
        assertTrue(e.getMessage().contains("legacy (pre-1.6, non-zip)"), e.getMessage());
    }

    @Test
    void truncatedArchiveIsReported() {
        CheckpointException e = assertThrows(
                CheckpointException.class, () -> TorchBinReader.read(IoFixtures.path("bad/truncated.bin")));
        assertTrue(e.getMessage().contains("truncated.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("end-of-central-directory"), e.getMessage());
    }

    @Test
    void handCraftedPicklesExerciseTheGuards() {
        // protocol 2 spells builtins as __builtin__ (Python 2 compatibility names). BUILD on a non-dict target and
        // REDUCE of an allowed storage class (not callable) are refused
        byte[] build = "\u0080\u0002]q\u0000}b.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        CheckpointException e = assertThrows(
                CheckpointException.class, () -> RestrictedUnpickler.load("t", java.nio.ByteBuffer.wrap(build)));
        assertTrue(e.getMessage().contains("BUILD on"), e.getMessage());
        byte[] reduce = "\u0080\u0002ctorch\nFloatStorage\n)R.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        e = assertThrows(
                CheckpointException.class, () -> RestrictedUnpickler.load("t", java.nio.ByteBuffer.wrap(reduce)));
        assertTrue(e.getMessage().contains("REDUCE of torch.FloatStorage is not allowed"), e.getMessage());
        byte[] cut = "\u0080\u0002X\u00ff\u0000\u0000\u0000ab".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", java.nio.ByteBuffer.wrap(cut)));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }
}
