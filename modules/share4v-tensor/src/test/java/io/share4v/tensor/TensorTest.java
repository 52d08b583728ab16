package io.share4v.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.JavaBackend;
import io.share4v.tensor.testing.DeviceStorage;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class TensorTest {
    private final Backend java = new JavaBackend();

    private Tensor iota(long... shape) {
        Tensor t = java.allocate(DType.FLOAT, shape);
        float[] v = new float[(int) t.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        java.upload(t, v);
        return t;
    }

    private float[] values(Tensor t) {
        float[] v = new float[(int) t.length()];
        java.download(v, t);
        return v;
    }

    @Test
    void rowsRowReshapeAndSliceAreViewsInRowMajorOrder() {
        Tensor x = iota(4, 3);
        assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, values(x.rows(1, 2)));
        assertArrayEquals(new long[] {2, 3}, x.rows(1, 2).shape());
        assertArrayEquals(new float[] {9, 10, 11}, values(x.row(3)));
        assertEquals(1, x.row(3).rank());
        assertSame(x, x.rows(0, 4));
        Tensor r = x.reshape(2, 2, 3);
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, values(r.row(1)));
        assertArrayEquals(new float[] {5, 6, 7}, values(x.slice(5, 3)));
        Tensor probs = iota(2, 2, 3, 3); // [B, H, T, T]: a row is one sample's heads
        assertEquals(18, probs.rows(1, 1).offset());
        assertEquals(18, probs.row(1).length());
    }

    @Test
    void writesThroughAViewLandInTheStorage() {
        Tensor x = iota(4, 3);
        FloatBuffer row2 = x.row(2).floats();
        row2.put(1, -1f);
        assertEquals(-1f, values(x)[7]);
        Tensor grads = x.rows(2, 2);
        java.upload(grads, new float[] {0, 0, 0, 0, 0, 0});
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0}, values(x));
        assertTrue(x.rows(2, 2).sameView(grads));
    }

    @Test
    void rowViewsOfAnyRankAreViewsNotCopies() {
        Tensor x = iota(4, 3);
        Tensor r = x.rows(1, 2);
        assertArrayEquals(new long[] {2, 3}, r.shape());
        assertEquals(3f, r.floats().get(0));
        r.floats().put(1 * 3 + 2, -1f);
        assertEquals(-1f, values(x)[2 * 3 + 2]);
        Tensor row = x.row(2);
        assertArrayEquals(new long[] {3}, row.shape());
        row.floats().put(1, 9f);
        assertEquals(9f, values(x)[2 * 3 + 1]);

        assertArrayEquals(
                new long[] {2}, java.allocate(DType.FLOAT, 5).rows(0, 2).shape());
        Tensor probs = java.allocate(DType.FLOAT, 3, 2, 4, 4);
        Tensor first = probs.rows(0, 1);
        assertArrayEquals(new long[] {1, 2, 4, 4}, first.shape());
        first.floats().put(((0 * 2 + 1) * 4 + 3) * 4 + 3, 5f);
        assertEquals(5f, values(probs)[((0 * 2 + 1) * 4 + 3) * 4 + 3]);
        assertSame(probs, probs.rows(0, 3));
    }

    @Test
    void boundsAndShapesAreChecked() {
        Tensor x = iota(4, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.rows(3, 2));
        assertEquals("rows [3, 5) are outside the 4 rows of FLOAT[4, 3]", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.row(-1));
        assertEquals("row -1 is outside the 4 rows of FLOAT[4, 3]", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.row(4));
        assertEquals("row 4 is outside the 4 rows of FLOAT[4, 3]", e.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> x.reshape(5, 2));
        assertEquals("cannot reshape FLOAT[4, 3] (12 elements) to [5, 2]", r.getMessage());
        assertThrows(IllegalArgumentException.class, x::doubles);
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.view(x.storage(), DType.DOUBLE, 1, 6));
        assertThrows(IllegalArgumentException.class, () -> x.row(0).row(0).row(0));
    }

    @Test
    void emptyRowRangesAndZeroRowTensorsWork() {
        Tensor x = iota(4, 3);
        assertEquals(0, x.rows(4, 0).length());
        Tensor empty = java.allocate(DType.FLOAT, 0, 5);
        assertEquals(0, empty.length());
        assertSame(empty, empty.rows(0, 0));
    }

    @Test
    void deviceMemoryIsNotReadableFromJava() {
        Storage device = new DeviceStorage("cuda", 64);
        Tensor t = Tensor.view(device, DType.FLOAT, 0, 4, 4);
        assertEquals(16, t.rows(0, 4).length());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::floats);
        assertTrue(e.getMessage().contains("copy it to the host through the backend"), e.getMessage());
    }
}
