package dev.sofim.bench;

import dev.sofim.optim.Adam;
import dev.sofim.optim.FloatStep;
import dev.sofim.optim.Reading;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.UpdateRule;
import dev.sofim.optim.UpdateStep;
import dev.sofim.optim.Variant;
import dev.sofim.optim.Vec;
import dev.sofim.optim.dl4j.NdVec;
import dev.sofim.optim.dl4j.RuleUpdaterConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One optimizer step on n parameters. {@code core-*}: the pure-Java rule on {@code double[]} ({@link UpdateStep});
 * {@code nd4j-*}: the rule through the DL4J adapter on a FLOAT array (DL4J's default), i.e. the fast engine
 * ({@link FloatStep}) with the engine this JVM chose (the Vector API with {@code --add-modules jdk.incubator.vector});
 * {@code loops-*}: the fast engine's plain-loop fallback on the same FLOAT buffer; {@code copy-*}: the adapter's path
 * before the fast engine ({@link UpdateStep} on chunks copied into {@code double[]}), kept for the comparison;
 * {@code native-*}: ND4J's own updaters. SOFIM rows are named {@code sofim-READING-VARIANT}. The gradient is
 * restored before each step (not timed), so every step sees the same numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StepBenchmark {

    @Param({"100000", "1000000", "10000000"})
    public int n;

    @Param({"core-sofim-PAPER-FULL", "core-sofim-GRADIENT-FULL", "core-sgd-momentum", "core-adam",
            "nd4j-sofim-PAPER-FULL", "nd4j-sofim-GRADIENT-FULL", "nd4j-sofim-PRECONDITIONED_GRADIENT-FULL",
            "nd4j-sofim-PAPER-NO_MOMENTUM", "nd4j-sofim-PAPER-NO_REGULARIZATION", "nd4j-sofim-PAPER-DIAGONAL_FIM",
            "nd4j-sgd-momentum", "nd4j-nesterov", "nd4j-adam",
            "loops-sofim-PAPER-FULL", "loops-sofim-GRADIENT-FULL", "loops-sofim-PRECONDITIONED_GRADIENT-FULL",
            "loops-sofim-PAPER-NO_MOMENTUM", "loops-sofim-PAPER-NO_REGULARIZATION", "loops-sofim-PAPER-DIAGONAL_FIM",
            "loops-sgd-momentum", "loops-nesterov", "loops-adam",
            "copy-sofim-PAPER-FULL", "copy-sgd-momentum", "copy-adam",
            "native-nesterovs", "native-adam"})
    public String impl;

    private UpdateRule rule;
    private double[] source;
    private double[] grad;
    private double[] state;
    private INDArray sourceArray;
    private INDArray gradArray;
    private GradientUpdater<?> updater;
    private INDArray stateArray;
    private Vec gradVec;
    private Vec stateVec;
    private int iteration;

    static UpdateRule rule(String name) {
        String r = name.substring(name.indexOf('-') + 1);
        if (r.startsWith("sofim-")) {
            String[] readingAndVariant = r.substring("sofim-".length()).split("-", 2);
            Variant v = Variant.valueOf(readingAndVariant[1]);
            return Sofim.of(v).withReading(Reading.parse(readingAndVariant[0]))
                    .withRho(v == Variant.NO_REGULARIZATION ? 0 : Sofim.DEFAULT_RHO);
        }
        return switch (r) {
            case "sgd-momentum" -> Sgd.defaults();
            case "nesterov" -> Sgd.nesterov(Sgd.DEFAULT_LEARNING_RATE, Sgd.DEFAULT_MOMENTUM);
            case "adam" -> Adam.defaults();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Setup(Level.Trial)
    public void setUp() {
        Random rng = new Random(1);
        source = new double[n];
        for (int i = 0; i < n; i++) {
            source[i] = 0.01 * rng.nextGaussian();
        }
        if (impl.startsWith("core-")) {
            rule = rule(impl);
            grad = new double[n];
            state = new double[rule.stateNames().size() * n];
            return;
        }
        if (impl.startsWith("loops-") || impl.startsWith("copy-")) {
            rule = rule(impl);
            sourceArray = Nd4j.createFromArray(source).castTo(DataType.FLOAT).reshape(1, n);
            gradArray = sourceArray.dup();
            stateArray = Nd4j.zeros(DataType.FLOAT, 1, Math.max(1, rule.stateNames().size() * n));
            gradVec = NdVec.of(gradArray, "gradient");
            stateVec = rule.stateNames().isEmpty() ? Vec.empty() : NdVec.of(stateArray, "state");
            return;
        }
        IUpdater config = switch (impl) {
            case "native-nesterovs" -> new Nesterovs(Sgd.DEFAULT_LEARNING_RATE, Sgd.DEFAULT_MOMENTUM);
            case "native-adam" -> new org.nd4j.linalg.learning.config.Adam(Adam.DEFAULT_LEARNING_RATE);
            default -> RuleUpdaterConfig.of(rule(impl));
        };
        sourceArray = Nd4j.createFromArray(source).castTo(DataType.FLOAT).reshape(1, n);
        gradArray = sourceArray.dup();
        long stateSize = config.stateSize(n);
        INDArray view = stateSize == 0 ? null : Nd4j.zeros(DataType.FLOAT, 1, stateSize);
        updater = config.instantiate(view, true);
    }

    @Setup(Level.Invocation)
    public void restoreGradient() {
        if (grad != null) {
            System.arraycopy(source, 0, grad, 0, n);
        } else {
            gradArray.assign(sourceArray);
        }
    }

    @Benchmark
    public Object step() {
        iteration++;
        if (grad != null) {
            UpdateStep.compute(rule, Vec.of(grad), Vec.of(state), null, iteration, 0, null);
            return grad;
        }
        if (impl.startsWith("loops-")) {
            FloatStep.compute(FloatStep.Engine.LOOPS, rule, gradArray.data().asNio(), 0,
                    stateArray.data().asNio(), 0, n, iteration, 0);
            return gradArray;
        }
        if (impl.startsWith("copy-")) {
            UpdateStep.compute(rule, gradVec, stateVec, null, iteration, 0, null);
            return gradArray;
        }
        updater.applyUpdater(gradArray, iteration - 1, 0);
        return gradArray;
    }
}
