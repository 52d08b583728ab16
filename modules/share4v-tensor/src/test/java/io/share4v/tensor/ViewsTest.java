package io.share4v.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/** The row-view contract: a view (writes land in the source), contiguous C order, any rank, bounds checked. */
class ViewsTest {
    @Test
    void rowsAreAContiguousViewNotACopy() {
        INDArray a = Nd4j.arange(0, 12).castTo(DataType.FLOAT).reshape('c', 4, 3);
        INDArray r = Views.rows(a, 1, 2);
        assertArrayEquals(new long[] {2, 3}, r.shape());
        assertEquals(3f, r.getFloat(0, 0));
        assertEquals('c', r.ordering());
        assertTrue(Shape.hasDefaultStridesForShape(r));
        r.putScalar(new long[] {1, 2}, -1f);
        assertEquals(-1f, a.getFloat(2, 2));
    }

    @Test
    void leadingRowsOfAnyRank() {
        INDArray v = Nd4j.zeros(DataType.FLOAT, 5);
        assertArrayEquals(new long[] {2}, Views.leading(v, 2).shape());
        INDArray probs = Nd4j.zeros(DataType.FLOAT, 3, 2, 4, 4);
        INDArray first = Views.leading(probs, 1);
        assertArrayEquals(new long[] {1, 2, 4, 4}, first.shape());
        first.putScalar(new long[] {0, 1, 3, 3}, 5f);
        assertEquals(5f, probs.getFloat(0, 1, 3, 3));
    }

    @Test
    void allRowsIsTheArrayItself() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 4, 3);
        assertSame(a, Views.leading(a, 4));
    }

    @Test
    void rowIsAVectorView() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 4, 3);
        INDArray r = Views.row(a, 2);
        assertArrayEquals(new long[] {3}, r.shape());
        r.putScalar(1, 9f);
        assertEquals(9f, a.getFloat(2, 1));
    }

    @Test
    void rowsOutsideTheArrayAreRefused() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Views.rows(a, 3, 2));
        assertTrue(e.getMessage().contains("[3, 5)"), e.getMessage());
    }

    @Test
    void paramLayoutSelectedViewsAreNullForUnselectedNames() {
        ParamLayout layout = ParamLayout.builder().add("a", 2, 2).add("b", 3).build();
        INDArray flat = layout.allocate();
        assertNull(layout.view(flat, "a", name -> name.equals("b")));
        assertArrayEquals(
                new long[] {3}, layout.view(flat, "b", name -> name.equals("b")).shape());
    }
}
