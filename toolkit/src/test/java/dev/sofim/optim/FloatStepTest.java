package dev.sofim.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast step engine on FLOAT storage, over every optimizer, reading and ablation: the Vector API engine and the
 * plain-loop engine give the same bits; both agree with {@link UpdateStep} on the same floats to the last bit of a
 * float, except where the order of the double sums moves a rounding (at most one ulp); the numbers do not depend on
 * the thread count; a non-finite gradient is refused with nothing written.
 */
class FloatStepTest {
    /** Sizes: a tail only; chunks and a tail; chunks run in parallel. */
    private static final int[] SIZES = {5, 2 * UpdateStep.CHUNK + 13, UpdateStep.PARALLEL_THRESHOLD + 77};

    static Stream<Map.Entry<String, UpdateRule>> rules() {
        return Rules.all().entrySet().stream();
    }

    static ByteBuffer floats(int n, long seed, double scale) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            b.putFloat(4 * i, (float) (scale * r.nextGaussian()));
        }
        return b;
    }

    static float[] toArray(ByteBuffer b) {
        float[] f = new float[b.capacity() / 4];
        b.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().get(f);
        return f;
    }

    static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocateDirect(b.capacity()).order(ByteOrder.nativeOrder());
        c.put(b.duplicate().clear());
        return c.clear();
    }

    /** Three steps of {@code rule} on one engine; returns the last step and the state, as floats. */
    static float[][] run(FloatStep.Engine engine, UpdateRule rule, int n) {
        int slots = rule.stateNames().size();
        ByteBuffer state = ByteBuffer.allocateDirect(Math.max(4, 4 * slots * n)).order(ByteOrder.nativeOrder());
        ByteBuffer g = null;
        for (int t = 1; t <= 3; t++) {
            g = floats(n, 100 + t, 0.05);
            FloatStep.compute(engine, rule, g, 0, slots == 0 ? null : state, 0, n, t, 0);
        }
        return new float[][] {toArray(g), toArray(state)};
    }

    /** The same three steps through UpdateStep on the same floats (what the ND4J adapter did before the engine). */
    static float[][] reference(UpdateRule rule, int n) {
        int slots = rule.stateNames().size();
        double[] state = new double[slots * n];
        double[] g = null;
        for (int t = 1; t <= 3; t++) {
            float[] f = toArray(floats(n, 100 + t, 0.05));
            g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = f[i];
            }
            UpdateStep.compute(rule, Vec.of(g), Vec.of(state), null, t, 0, null);
            for (int i = 0; i < state.length; i++) {
                state[i] = (float) state[i];   // state is stored as float between steps
            }
        }
        float[][] out = {new float[n], new float[slots * n]};
        for (int i = 0; i < n; i++) {
            out[0][i] = (float) g[i];
        }
        for (int i = 0; i < state.length; i++) {
            out[1][i] = (float) state[i];
        }
        return out;
    }

    static List<FloatStep.Engine> engines() {
        List<FloatStep.Engine> e = new ArrayList<>(List.of(FloatStep.Engine.LOOPS));
        if (FloatStep.vectorAvailable()) {
            e.add(FloatStep.Engine.VECTOR);
        }
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void bothEnginesGiveTheSameBitsAndUpdateStepsNumbersToOneUlp(Map.Entry<String, UpdateRule> named) {
        UpdateRule rule = named.getValue();
        for (int n : SIZES) {
            float[][] loops = run(FloatStep.Engine.LOOPS, rule, n);
            if (FloatStep.vectorAvailable()) {
                float[][] vector = run(FloatStep.Engine.VECTOR, rule, n);
                assertArrayEquals(loops[0], vector[0], named.getKey() + " n=" + n + ": step, vector vs loops");
                assertArrayEquals(loops[1], vector[1], named.getKey() + " n=" + n + ": state, vector vs loops");
            }
            float[][] ref = reference(rule, n);
            for (int k = 0; k < 2; k++) {
                int differ = 0;
                for (int i = 0; i < ref[k].length; i++) {
                    float a = loops[k][i], b = ref[k][i];
                    if (Float.floatToIntBits(a) != Float.floatToIntBits(b)) {
                        differ++;
                        assertTrue(Math.abs(a - b) <= Math.ulp(b), named.getKey() + " n=" + n + " element " + i + ": "
                                + a + " vs UpdateStep's " + b);
                    }
                }
                assertTrue(differ <= ref[k].length / 1000 + 1, named.getKey() + ": " + differ + " of " + ref[k].length
                        + " elements moved by the sum order");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void numbersDoNotDependOnTheThreadCount(Map.Entry<String, UpdateRule> named) throws Exception {
        int n = UpdateStep.PARALLEL_THRESHOLD * 2 + 5;
        for (FloatStep.Engine engine : engines()) {
            float[][] one = new ForkJoinPool(1).submit(() -> run(engine, named.getValue(), n)).get(1, TimeUnit.MINUTES);
            float[][] many = new ForkJoinPool(4).submit(() -> run(engine, named.getValue(), n)).get(1, TimeUnit.MINUTES);
            assertArrayEquals(one[0], many[0], engine + " step");
            assertArrayEquals(one[1], many[1], engine + " state");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void aNonFiniteGradientIsRefusedWithNothingWritten(Map.Entry<String, UpdateRule> named) {
        UpdateRule rule = named.getValue();
        int n = 2 * UpdateStep.CHUNK + 3;
        for (FloatStep.Engine engine : engines()) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
                ByteBuffer g = floats(n, 7, 0.1);
                g.putFloat(4 * (n - 2), bad);
                int slots = rule.stateNames().size();
                ByteBuffer state = floats(Math.max(1, slots * n), 8, 0.01);
                float[] g0 = toArray(g), s0 = toArray(state);
                var e = assertThrows(NonFiniteGradientException.class,
                        () -> FloatStep.compute(engine, rule, g, 0, slots == 0 ? null : state, 0, n, 4, 0));
                assertTrue(e.getMessage().contains("1 of " + n), e.getMessage());
                assertArrayEquals(g0, toArray(g), engine + ": gradient untouched");
                assertArrayEquals(s0, toArray(state), engine + ": state untouched");
            }
        }
    }

    @Test
    void offsetsIntoLargerBuffersAndBadArgumentsAreChecked() {
        UpdateRule rule = Sofim.defaults();
        int n = 1000;
        ByteBuffer g = floats(n + 10, 3, 0.1), state = ByteBuffer.allocateDirect(4 * (n + 20)).order(ByteOrder.nativeOrder());
        ByteBuffer alone = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
        alone.asFloatBuffer().put(toArray(g), 10, n);
        ByteBuffer aloneState = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
        FloatStep.compute(FloatStep.Engine.LOOPS, rule, g, 10, state, 20, n, 1, 0);
        FloatStep.compute(FloatStep.Engine.LOOPS, rule, alone, 0, aloneState, 0, n, 1, 0);
        float[] shifted = toArray(g), whole = toArray(alone);
        for (int i = 0; i < n; i++) {
            assertEquals(whole[i], shifted[10 + i]);
        }
        var small = assertThrows(IllegalArgumentException.class,
                () -> FloatStep.compute(FloatStep.Engine.LOOPS, rule, g, 20, state, 0, n, 1, 0));
        assertTrue(small.getMessage().contains("gradient") && small.getMessage().contains("from element 20"), small.getMessage());
        var decay = assertThrows(IllegalArgumentException.class,
                () -> FloatStep.compute(FloatStep.Engine.LOOPS, rule.withWeightDecay(0.1), g, 0, state, 0, n, 1, 0));
        assertTrue(decay.getMessage().contains("weightDecay=0.1"), decay.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FloatStep.compute(FloatStep.Engine.LOOPS, rule, g, 0, null, 0, n, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> FloatStep.compute(FloatStep.Engine.LOOPS, rule, g, 0, state, 0, n, 0, 0));
    }

    /** What a JVM without {@code --add-modules jdk.incubator.vector} runs: the loop engine, with the same numbers. */
    public static void main(String[] args) {
        float[][] r = run(FloatStep.engine(), Sofim.defaults(), 2 * UpdateStep.CHUNK + 13);
        System.out.println(FloatStep.engine() + " " + java.util.Arrays.hashCode(r[0]) + " " + java.util.Arrays.hashCode(r[1]));
    }

    /** Runs {@link #main} in a JVM with these options; returns its exit status and its output. */
    static Map.Entry<Integer, String> probe(String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FloatStepTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return Map.entry(p.exitValue(), out);
    }

    /** The last line of a probe that must succeed. */
    static String lastLine(Map.Entry<Integer, String> run) {
        assertEquals(0, run.getKey(), run.getValue());
        String[] lines = run.getValue().strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void withoutTheVectorModuleTheLoopEngineRunsWithTheSameNumbers() throws Exception {
        String without = lastLine(probe());
        assertTrue(without.startsWith("LOOPS "), without);
        String with = lastLine(probe("--add-modules", "jdk.incubator.vector"));
        assertTrue(with.startsWith(FloatStep.vectorAvailable() ? "VECTOR " : "LOOPS "), with);
        assertEquals(without.substring(without.indexOf(' ')), with.substring(with.indexOf(' ')), "the same bits");
        String forced = lastLine(probe("--add-modules", "jdk.incubator.vector", "-Dsofim.engine=loops"));
        assertEquals("LOOPS" + without.substring(without.indexOf(' ')), forced, "-Dsofim.engine=loops forces the loops");
        var bad = probe("-Dsofim.engine=fast");
        assertTrue(bad.getKey() != 0 && bad.getValue().contains("-Dsofim.engine=fast is not an engine; expected vector or loops"),
                bad.getValue());
    }
}
