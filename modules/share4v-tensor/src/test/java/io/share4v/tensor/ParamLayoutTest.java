package io.share4v.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParamLayoutTest {
    private final ParamLayout layout = ParamLayout.builder()
            .add("a.weight", 3, 4)
            .add("a.bias", 3)
            .add("b.weight", 2, 2)
            .add("c.weight", 5)
            .build();

    @Test
    void offsetsAreContiguousInOrder() {
        assertEquals(12 + 3 + 4 + 5, layout.totalSize());
        assertEquals(0, layout.entry("a.weight").offset());
        assertEquals(12, layout.entry("a.bias").offset());
        assertEquals(15, layout.entry("b.weight").offset());
        assertEquals(19, layout.entry("c.weight").offset());
        assertArrayEquals(new long[] {2, 2}, layout.entry("b.weight").shape());
        assertEquals(
                List.of("a.weight", "a.bias", "b.weight", "c.weight"),
                layout.entries().stream().map(ParamLayout.Entry::name).toList());
    }

    @Test
    void viewsWriteIntoTheFlatBuffer() {
        INDArray flat = layout.allocate();
        assertEquals(DataType.FLOAT, flat.dataType());
        INDArray w = layout.view(flat, "a.weight");
        assertArrayEquals(new long[] {3, 4}, w.shape());
        w.putScalar(new long[] {1, 2}, 7f);
        assertEquals(7f, flat.getFloat(1 * 4 + 2));
        INDArray b = layout.view(flat, "b.weight");
        b.assign(3f);
        for (long i = 15; i < 19; i++) {
            assertEquals(3f, flat.getFloat(i));
        }
        assertEquals(0f, flat.getFloat(14));
        assertEquals(0f, flat.getFloat(19));
        // and the other way round: a write to the flat buffer shows in the view
        flat.putScalar(20, 5f);
        assertEquals(5f, layout.view(flat, "c.weight").getFloat(1));
        // same underlying memory, not a copy
        assertEquals(flat.data().address() + 15L * 4, b.data().addressPointer().address());
    }

    @Test
    void viewsOfADoubleBufferWork() {
        INDArray flat = Nd4j.zeros(DataType.DOUBLE, layout.totalSize());
        layout.view(flat, "a.bias").assign(2.5);
        assertEquals(2.5, flat.getDouble(13));
    }

    @Test
    void rangesMergeAdjacentMatches() {
        assertEquals(List.of(new ParamLayout.Range(0, 15)), layout.ranges(n -> n.startsWith("a.")));
        assertEquals(
                List.of(new ParamLayout.Range(0, 12), new ParamLayout.Range(15, 24)),
                layout.ranges(n -> n.endsWith(".weight")));
        assertEquals(List.of(new ParamLayout.Range(0, 24)), layout.ranges(n -> true));
        assertTrue(layout.ranges(n -> false).isEmpty());
        assertEquals(
                9,
                layout.ranges(n -> n.startsWith("b") || n.startsWith("c"))
                        .get(0)
                        .size());
    }

    @Test
    void errorsNameTheProblem() {
        var e = assertThrows(IllegalArgumentException.class, () -> layout.entry("nope"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> layout.view(layout.allocate(), "missing.weight"));
        assertTrue(e.getMessage().contains("missing.weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> layout.view(Nd4j.zeros(DataType.FLOAT, 23), "a.bias"));
        assertTrue(e.getMessage().contains("24"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> layout.view(Nd4j.zeros(DataType.FLOAT, 4, 6), "a.bias"));
        assertTrue(e.getMessage().contains("vector"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ParamLayout.builder().add("x", 2).add("x", 3));
        assertTrue(e.getMessage().contains("duplicate parameter name x"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> ParamLayout.builder().add("y", 2, 0));
        assertTrue(e.getMessage().contains("y"), e.getMessage());
        assertTrue(layout.contains("a.bias"));
        assertTrue(!layout.contains("a.nope"));
    }
}
