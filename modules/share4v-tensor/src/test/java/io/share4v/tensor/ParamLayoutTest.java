package io.share4v.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamLayoutTest {
    private final Backend java = Tensors.java();
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
        Tensor flat = layout.allocate(java, DType.FLOAT);
        assertEquals(DType.FLOAT, flat.dtype());
        Tensor w = layout.view(flat, "a.weight");
        assertArrayEquals(new long[] {3, 4}, w.shape());
        Tensors.set(w, 1 * 4 + 2, 7f);
        assertEquals(7f, Tensors.get(flat, 1 * 4 + 2));
        Tensor b = layout.view(flat, "b.weight");
        Tensors.fill(b, 3f);
        for (long i = 15; i < 19; i++) {
            assertEquals(3f, Tensors.get(flat, i));
        }
        assertEquals(0f, Tensors.get(flat, 14));
        assertEquals(0f, Tensors.get(flat, 19));
        // and the other way round: a write to the flat buffer shows in the view
        Tensors.set(flat, 20, 5f);
        assertEquals(5f, Tensors.get(layout.view(flat, "c.weight"), 1));
        // same underlying memory, not a copy
        assertSame(flat.storage(), b.storage());
        assertEquals(flat.offset() + 15, b.offset());
    }

    @Test
    void viewsOfADoubleBufferWork() {
        Tensor flat = layout.allocate(java, DType.DOUBLE);
        Tensors.fill(layout.view(flat, "a.bias"), 2.5);
        assertEquals(2.5, Tensors.get(flat, 13));
    }

    @Test
    void selectedViewsAreNullForUnselectedNames() {
        ParamLayout small = ParamLayout.builder().add("a", 2, 2).add("b", 3).build();
        Tensor flat = small.allocate(java, DType.FLOAT);
        assertNull(small.view(flat, "a", name -> name.equals("b")));
        assertArrayEquals(
                new long[] {3}, small.view(flat, "b", name -> name.equals("b")).shape());
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
        e = assertThrows(
                IllegalArgumentException.class,
                () -> layout.view(layout.allocate(java, DType.FLOAT), "missing.weight"));
        assertTrue(e.getMessage().contains("missing.weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> layout.view(java.allocate(DType.FLOAT, 23), "a.bias"));
        assertTrue(e.getMessage().contains("24"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> layout.view(java.allocate(DType.FLOAT, 4, 6), "a.bias"));
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
