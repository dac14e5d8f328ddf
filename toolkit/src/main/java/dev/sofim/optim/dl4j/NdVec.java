package dev.sofim.optim.dl4j;

import dev.sofim.optim.Vec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * {@link Vec} views of a contiguous ND4J array, read and written in place through the array's
 * NIO buffer: no copies of the array. FLOAT and DOUBLE arrays are supported; chunk reads and
 * writes use the buffer's bulk copies (FLOAT through a per-thread {@code float[]}).
 */
public final class NdVec {
    private NdVec() {
    }

    public static Vec of(INDArray array, String what) {
        checkLayout(array, what);
        int offset = Math.toIntExact(array.offset());
        long length = array.length();
        DataType type = array.dataType();
        return switch (type) {
            case FLOAT -> new Floats(array.data().asNioFloat(), offset, (int) length);
            case DOUBLE -> new Doubles(array.data().asNioDouble(), offset, (int) length);
            default -> throw new IllegalArgumentException(what + " has data type " + type + "; expected FLOAT or DOUBLE");
        };
    }

    /** Whether {@code array} is a FLOAT array the fast engine can run on (its layout is checked as {@link #of} does). */
    static boolean isFloat(INDArray array, String what) {
        checkLayout(array, what);
        return array.dataType() == DataType.FLOAT;
    }

    /** The whole native buffer of a FLOAT array, as bytes in native order; elements from {@code array.offset()}. */
    static java.nio.ByteBuffer bytes(INDArray array) {
        return array.data().asNio().order(java.nio.ByteOrder.nativeOrder());
    }

    private static void checkLayout(INDArray array, String what) {
        long length = array.length();
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " has " + length + " elements; at most " + Integer.MAX_VALUE
                    + " are supported");
        }
        if (length > 1 && array.elementWiseStride() != 1) {
            throw new IllegalArgumentException(what + " must be a contiguous array (element-wise stride 1), got shape "
                    + java.util.Arrays.toString(array.shape()) + " with stride " + java.util.Arrays.toString(array.stride()));
        }
    }

    private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[0]);

    private static float[] floats(int count) {
        float[] a = FLOATS.get();
        if (a.length < count) {
            a = new float[count];
            FLOATS.set(a);
        }
        return a;
    }

    private record Floats(FloatBuffer buffer, int offset, int length) implements Vec {
        @Override
        public double get(int i) {
            return buffer.get(offset + i);
        }

        @Override
        public void set(int i, double value) {
            buffer.put(offset + i, (float) value);
        }

        @Override
        public void read(int from, double[] dst, int dstOffset, int count) {
            Objects.checkFromIndexSize(from, count, length);
            float[] f = floats(count);
            buffer.get(offset + from, f, 0, count);
            for (int j = 0; j < count; j++) {
                dst[dstOffset + j] = f[j];
            }
        }

        @Override
        public void write(int from, double[] src, int srcOffset, int count) {
            Objects.checkFromIndexSize(from, count, length);
            float[] f = floats(count);
            for (int j = 0; j < count; j++) {
                f[j] = (float) src[srcOffset + j];
            }
            buffer.put(offset + from, f, 0, count);
        }
    }

    private record Doubles(DoubleBuffer buffer, int offset, int length) implements Vec {
        @Override
        public double get(int i) {
            return buffer.get(offset + i);
        }

        @Override
        public void set(int i, double value) {
            buffer.put(offset + i, value);
        }

        @Override
        public void read(int from, double[] dst, int dstOffset, int count) {
            Objects.checkFromIndexSize(from, count, length);
            buffer.get(offset + from, dst, dstOffset, count);
        }

        @Override
        public void write(int from, double[] src, int srcOffset, int count) {
            Objects.checkFromIndexSize(from, count, length);
            buffer.put(offset + from, src, srcOffset, count);
        }
    }
}
