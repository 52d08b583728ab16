package io.share4v.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Windows read and write exactly the elements of the flat buffer they name, also for offset views. */
class NativeWindowTest {
    @Test
    void windowsAddressTheRightElements() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray flat = Nd4j.arange(0, 100).castTo(dt);
            ByteBuffer w = NativeWindow.window(flat, 5, 3);
            assertEquals(5.0, dt == DataType.FLOAT ? w.getFloat(0) : w.getDouble(0), dt.toString());
            if (dt == DataType.FLOAT) {
                w.putFloat(8, -7f);
            } else {
                w.putDouble(16, -7.0);
            }
            assertEquals(-7.0, flat.getDouble(7), dt.toString());
            INDArray view = flat.get(NDArrayIndex.interval(10, 20));
            ByteBuffer v = NativeWindow.window(view, 2, 1);
            assertEquals(12.0, dt == DataType.FLOAT ? v.getFloat(0) : v.getDouble(0), dt + " view");
        }
    }
}
