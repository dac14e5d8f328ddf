package dev.sofim.optim;

import java.util.Objects;

/** A {@link Vec} over a slice of a {@code double[]}. */
public final class ArrayVec implements Vec {
    static final ArrayVec EMPTY = new ArrayVec(new double[0], 0, 0);

    private final double[] values;
    private final int offset;
    private final int length;

    public ArrayVec(double[] values, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, values.length);
        this.values = values;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public double get(int i) {
        return values[offset + i];
    }

    @Override
    public void set(int i, double value) {
        values[offset + i] = value;
    }

    @Override
    public void read(int from, double[] dst, int dstOffset, int count) {
        Objects.checkFromIndexSize(from, count, length);
        System.arraycopy(values, offset + from, dst, dstOffset, count);
    }

    @Override
    public void write(int from, double[] src, int srcOffset, int count) {
        Objects.checkFromIndexSize(from, count, length);
        System.arraycopy(src, srcOffset, values, offset + from, count);
    }
}
