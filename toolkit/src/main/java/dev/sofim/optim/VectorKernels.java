package dev.sofim.optim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link FloatStep}'s Vector API engine: eight floats loaded at a time (256 bits), widened to eight double lanes
 * (512 bits), the {@link FusedStep} evaluated lane-wise with the same operations in the same order as
 * {@link FloatStep.LoopKernels} (a multiply and an add, never fused), narrowed back and stored. Lane j of the
 * accumulators sums the elements i ≡ j (mod 8), as the loop engine's partial sums do; the tail (fewer than 8
 * elements) is added scalar into its lanes. Loaded only when the {@code jdk.incubator.vector} module is present.
 */
final class VectorKernels implements FloatStep.Kernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_512;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int L = FloatStep.LANES;

    VectorKernels() {
        if (DoubleVector.SPECIES_PREFERRED.vectorBitSize() < 512) {
            throw new UnsupportedOperationException("512-bit double vectors are emulated on this CPU ("
                    + DoubleVector.SPECIES_PREFERRED.vectorBitSize() + "-bit preferred)");
        }
    }

    private static DoubleVector load(ByteBuffer b, int element) {
        return (DoubleVector) FloatVector.fromByteBuffer(F, b, element * 4, ORDER).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void store(DoubleVector v, ByteBuffer b, int element) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoByteBuffer(b, element * 4, ORDER);
    }

    @Override
    public void reduce(FusedStep.Sums p, ByteBuffer g, int gOff, ByteBuffer s, int mOff, int len, double[] sums) {
        double[] acc = new double[3 * L];
        int body = len & ~(L - 1);
        DoubleVector gg = DoubleVector.zero(D);
        if (!p.moment()) {
            for (int i = 0; i < body; i += L) {
                DoubleVector gi = load(g, gOff + i);
                gg = gg.add(gi.mul(gi));
            }
            gg.intoArray(acc, 0);
            for (int i = body; i < len; i++) {
                double gi = g.getFloat((gOff + i) * 4);
                acc[i & 7] += gi * gi;
            }
        } else {
            double pm = p.pm(), qm = p.qm();
            DoubleVector gm = DoubleVector.zero(D), mm = DoubleVector.zero(D);
            for (int i = 0; i < body; i += L) {
                DoubleVector gi = load(g, gOff + i);
                DoubleVector mi = load(s, mOff + i).mul(pm).add(gi.mul(qm));
                gg = gg.add(gi.mul(gi));
                gm = gm.add(gi.mul(mi));
                mm = mm.add(mi.mul(mi));
            }
            gg.intoArray(acc, 0);
            gm.intoArray(acc, L);
            mm.intoArray(acc, 2 * L);
            for (int i = body; i < len; i++) {
                double gi = g.getFloat((gOff + i) * 4);
                double mi = pm * s.getFloat((mOff + i) * 4) + qm * gi;
                int j = i & 7;
                acc[j] += gi * gi;
                acc[L + j] += gi * mi;
                acc[2 * L + j] += mi * mi;
            }
        }
        sums[0] = FloatStep.combine(acc, 0);
        sums[1] = FloatStep.combine(acc, L);
        sums[2] = FloatStep.combine(acc, 2 * L);
    }

    @Override
    public void apply(FusedStep step, ByteBuffer g, int gOff, ByteBuffer s, int mOff, int vOff, int len) {
        int body = len & ~(L - 1);
        if (step instanceof FusedStep.Linear f) {
            double pm = f.pm(), qm = f.qm(), a = f.a(), b = f.b(), c = f.c();
            switch (f.form()) {
                case G -> {
                    for (int i = 0; i < body; i += L) {
                        store(load(g, gOff + i).mul(a).mul(c), g, gOff + i);
                    }
                }
                case M -> {
                    for (int i = 0; i < body; i += L) {
                        DoubleVector mi = load(s, mOff + i).mul(pm).add(load(g, gOff + i).mul(qm));
                        store(mi, s, mOff + i);
                        store(mi.mul(b).mul(c), g, gOff + i);
                    }
                }
                case GM -> {
                    for (int i = 0; i < body; i += L) {
                        DoubleVector gi = load(g, gOff + i);
                        DoubleVector mi = load(s, mOff + i).mul(pm).add(gi.mul(qm));
                        store(mi, s, mOff + i);
                        store(gi.mul(a).add(mi.mul(b)).mul(c), g, gOff + i);
                    }
                }
            }
        } else if (step instanceof FusedStep.Diagonal f) {
            for (int i = 0; i < body; i += L) {
                DoubleVector gi = load(g, gOff + i);
                DoubleVector mi = load(s, mOff + i).mul(f.pm()).add(gi.mul(f.qm()));
                store(mi, s, mOff + i);
                DoubleVector ui = gi.mul(f.ug()).add(mi.mul(f.um()));
                store(gi.mul(f.vg()).add(mi.mul(f.vm())).mul(f.lr()).div(ui.mul(ui).add(f.rho())), g, gOff + i);
            }
        } else {
            FusedStep.AdamStep f = (FusedStep.AdamStep) step;   // the last of the sealed kinds
            double q1 = 1 - f.beta1(), q2 = 1 - f.beta2();
            for (int i = 0; i < body; i += L) {
                DoubleVector gi = load(g, gOff + i);
                DoubleVector m = load(s, mOff + i).mul(f.beta1()).add(gi.mul(q1));
                DoubleVector v = load(s, vOff + i).mul(f.beta2()).add(gi.mul(q2).mul(gi));
                store(m, s, mOff + i);
                store(v, s, vOff + i);
                store(m.div(f.bc1()).mul(f.lr()).div(v.div(f.bc2()).sqrt().add(f.epsilon())), g, gOff + i);
            }
        }
        if (body < len) {
            FloatStep.tail(step, g, gOff + body, s, mOff + body, vOff + body, len - body);
        }
    }
}
