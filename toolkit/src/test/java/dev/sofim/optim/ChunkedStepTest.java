package dev.sofim.optim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link UpdateStep} on vectors of many chunks, in parallel: the same numbers as the rule run over
 * each whole block in one piece, and bit for bit the same numbers whatever the thread count.
 */
class ChunkedStepTest {
    private static final int N = 3 * UpdateStep.PARALLEL_THRESHOLD + 12_345;
    private static final int[] BLOCKS = {0, 2 * UpdateStep.CHUNK, 2 * UpdateStep.CHUNK + 1, 70_000, N};

    static Stream<Map.Entry<String, UpdateRule>> rules() {
        return Rules.all().entrySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void chunkedParallelStepEqualsWholeBlockStep(Map.Entry<String, UpdateRule> named) {
        UpdateRule rule = named.getValue().withWeightDecay(0.01);
        int slots = rule.stateNames().size();
        double[] theta = random(N, 1);
        double[] chunkedState = new double[slots * N], wholeState = new double[slots * N];
        for (int t = 1; t <= 3; t++) {
            double[] g = random(N, 10 + t);
            double[] chunked = g.clone(), whole = g.clone();
            UpdateStep.compute(rule, Vec.of(chunked), Vec.of(chunkedState), Vec.of(theta), t, 0, BLOCKS);
            wholeBlockStep(rule, whole, wholeState, theta, t);
            assertClose(whole, chunked, named.getKey() + " step " + t);
            assertClose(wholeState, chunkedState, named.getKey() + " state " + t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void numbersDoNotDependOnTheThreadCount(Map.Entry<String, UpdateRule> named) throws Exception {
        UpdateRule rule = named.getValue();
        double[] one = stepIn(new ForkJoinPool(1), rule);
        double[] three = stepIn(new ForkJoinPool(3), rule);
        double[] common = stepIn(ForkJoinPool.commonPool(), rule);
        assertArrayEquals(one, three, named.getKey());
        assertArrayEquals(one, common, named.getKey());
    }

    @Test
    void nanInTheLastChunkLeavesEveryChunkUntouched() {
        UpdateRule rule = Sofim.defaults();
        double[] g = random(N, 3);
        g[N - 1] = Double.NaN;
        double[] state = random(N, 4);
        double[] gBefore = g.clone(), stateBefore = state.clone();
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
                () -> UpdateStep.compute(rule, Vec.of(g), Vec.of(state), null, 7, 0, null));
        assertEquals(1, e.badEntries());
        assertEquals(7, e.step());
        assertArrayEquals(gBefore, g);
        assertArrayEquals(stateBefore, state);
    }

    @Test
    void bulkCopiesStayInsideAnArraySlice() {
        double[] values = {1, 2, 3, 4, 5, 6};
        Vec slice = new ArrayVec(values, 1, 3);
        double[] out = new double[3];
        slice.read(0, out, 0, 3);
        assertArrayEquals(new double[] {2, 3, 4}, out);
        assertThrows(IndexOutOfBoundsException.class, () -> slice.read(1, new double[3], 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> slice.write(1, new double[] {9, 9, 9}, 0, 3));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, values);
    }

    private static double[] stepIn(ForkJoinPool pool, UpdateRule rule) throws Exception {
        try {
            return pool.submit(() -> {
                double[] state = new double[rule.stateNames().size() * N];
                double[] g = null;
                for (int t = 1; t <= 2; t++) {
                    g = random(N, 20 + t);
                    UpdateStep.compute(rule, Vec.of(g), Vec.of(state), null, t, 0, BLOCKS);
                }
                double[] both = Arrays.copyOf(g, N + state.length);
                System.arraycopy(state, 0, both, N, state.length);
                return both;
            }).get();
        } finally {
            if (pool != ForkJoinPool.commonPool()) {
                pool.shutdown();
            }
        }
    }

    /** The rule's two passes over each whole block, on the full arrays, with no chunking. */
    private static void wholeBlockStep(UpdateRule rule, double[] g, double[] state, double[] theta, long t) {
        int[] bounds = rule.scope() == Scope.GLOBAL ? new int[] {0, N} : BLOCKS;
        double[][] sums = new double[bounds.length - 1][UpdateRule.SUMS];
        for (int b = 0; b + 1 < bounds.length; b++) {
            rule.reduce(Vec.of(g), Vec.of(state), bounds[b], bounds[b + 1], sums[b]);
        }
        for (int b = 0; b + 1 < bounds.length; b++) {
            rule.apply(Vec.of(g), Vec.of(state), bounds[b], bounds[b + 1], t, rule.learningRate(), sums[b]);
        }
        for (int i = 0; i < N; i++) {
            g[i] += rule.learningRate() * rule.weightDecay() * theta[i];
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-12 * Math.max(1, Math.abs(expected[i]));
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + ": entry " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian() * 1e-3;
        }
        return a;
    }
}
