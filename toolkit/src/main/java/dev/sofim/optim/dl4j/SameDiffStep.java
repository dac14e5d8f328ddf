package dev.sofim.optim.dl4j;

import dev.sofim.optim.FloatStep;
import dev.sofim.optim.GradientOracle;
import dev.sofim.optim.OracleOptimizer;
import dev.sofim.optim.OracleRule;
import dev.sofim.optim.ParameterLayout;
import dev.sofim.optim.Rule;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.UpdateRule;
import dev.sofim.optim.UpdateStep;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training step the toolkit runs itself on a SameDiff graph, instead of {@code sd.fit}: the loss and the gradients
 * of every trainable variable for the mini-batch ({@code calculateGradientsAndOutputs}) gathered into one flat vector,
 * one step of the core rule on it, and the parameters updated in place, θ ← θ − s. One step serves every rule:
 * <ul>
 *   <li>an {@link UpdateRule} (SOFIM in every reading and ablation, SGD, Nesterov, Adam) runs on the flat FLOAT
 *       gradient: with the paper's global scope and no weight decay on the fast engine ({@link FloatStep}), else
 *       through {@link UpdateStep} with the scope's blocks (one per variable, or one per layer: the variables named
 *       {@code <layer>_…}) and the parameters. One Fisher matrix over all parameters is what SameDiff's
 *       one-updater-per-variable cannot give. Its state is one flat FLOAT array;</li>
 *   <li>an {@link OracleRule} (AdaHessian, L-BFGS, Nyström-SGD) runs in an {@link OracleOptimizer}, asking a
 *       {@link GradientOracle} on the same mini-batch for gradients at other θ (the graph evaluated with those
 *       parameters, then put back). Its flat vector is in DL4J's flat order (convolution weights [out, in, kH, kW],
 *       so AdaHessian's spatial averaging sees each kernel's positions together), so the rules' random probes fall on
 *       the same parameters as in the DL4J trainer. The graphs have no dropout, so every evaluation is one function
 *       of θ.</li>
 * </ul>
 * The graph takes its features in placeholder {@value #INPUT} and its one-hot labels in {@value #LABEL}; the loss
 * variable is the mean loss over the batch. FLOAT variables only; gradients and parameters are float32, the oracle
 * rules' arithmetic double (as in {@link Dl4jOracleStep}). {@link #write}/{@link #read} save and restore the
 * parameters, the rule's state and the step count exactly, so a resumed run continues with the same numbers.
 */
public final class SameDiffStep {
    /** The features placeholder. */
    public static final String INPUT = "in";
    /** The one-hot labels placeholder. */
    public static final String LABEL = "label";
    private static final String FORMAT = "sofim-samediff-step 1";

    private final SameDiff sd;
    private final Rule rule;
    private final long seed;
    private final String loss;
    private final List<String> variables = new ArrayList<>();
    private final long[] offsets;
    private final int size;
    private final int[] blocks;
    private final INDArray grad;
    /** Every trainable variable's array is a view of this flat FLOAT vector, in the gradient's layout. */
    private final INDArray params;
    private final INDArray state;
    private final OracleOptimizer oracle;
    private final int[] oracleOffsets;
    private long steps;
    private long ruleNanos;
    /** The first-pass sums of the last step (null before one) and its epoch, for {@link #diagnostics}. */
    private double[] lastSums;
    private int lastEpoch;

    /**
     * @param sd   the graph, with placeholders {@value #INPUT} and {@value #LABEL}
     * @param loss the name of the scalar mean loss
     * @param rule the rule that trains it
     * @param seed the seed of an oracle rule's random probes (unused by update rules)
     */
    public SameDiffStep(SameDiff sd, String loss, Rule rule, long seed) {
        this(sd, loss, trainable(sd), rule, seed);
    }

    /**
     * A step whose flat vector lays the variables out in the order given (DL4J's order for the toolkit's models:
     * {@link dev.sofim.models.SameDiffModels#parameters}); the other constructor takes SameDiff's own, by name.
     *
     * @param parameters every trainable variable of the graph, once, in order
     */
    public SameDiffStep(SameDiff sd, String loss, List<String> parameters, Rule rule, long seed) {
        this.sd = sd;
        this.rule = rule;
        this.seed = seed;
        this.loss = loss;
        if (sd.getVariable(loss) == null) {
            throw new IllegalArgumentException("the graph has no variable '" + loss + "' (the loss)");
        }
        long n = 0;
        List<Long> offs = new ArrayList<>();
        List<Integer> starts = new ArrayList<>(List.of(0));
        List<Integer> kernels = new ArrayList<>();
        List<Boolean> convolutions = new ArrayList<>();
        List<String> all = trainable(sd);
        if (parameters.size() != all.size() || !new java.util.HashSet<>(parameters).equals(new java.util.HashSet<>(all))) {
            throw new IllegalArgumentException("parameters " + parameters + " must list each trainable variable of the "
                    + "graph once; it has " + all);
        }
        for (String name : parameters) {
            SDVariable v = sd.getVariable(name);
            if (v.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("variable " + v.name() + " is " + v.dataType() + "; expected FLOAT");
            }
            INDArray a = v.getArr();
            variables.add(v.name());
            offs.add(n);
            n += a.length();
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the graph has over " + Integer.MAX_VALUE + " parameters");
            }
            starts.add((int) n);
            kernels.add(a.rank() == 4 ? (int) (a.size(0) * a.size(1)) : 1);
            convolutions.add(a.rank() == 4);
        }
        if (variables.isEmpty()) {
            throw new IllegalArgumentException("the graph has no trainable variables");
        }
        this.size = (int) n;
        this.offsets = offs.stream().mapToLong(Long::longValue).toArray();
        this.grad = Nd4j.create(DataType.FLOAT, size);
        // the variables become views of one flat parameter vector, laid out as the gradient: the update is one
        // subtraction on it, and weight decay reads it as it is (no gathering, no scattering)
        this.params = Nd4j.create(DataType.FLOAT, size);
        // SameDiff's default holder keeps a device-local copy of whatever it is given; this one keeps the view itself
        sd.setArrayHolders(new org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder(),
                new org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder(), true);
        for (int k = 0; k < variables.size(); k++) {
            SDVariable v = sd.getVariable(variables.get(k));
            INDArray a = v.getArr();
            INDArray view = slice(params, k, a).reshape('c', a.shape());
            view.assign(a);
            sd.associateArrayWithVariable(view, v);
            INDArray held = sd.getArrForVarName(v.name());   // a view, not a copy: a write to the vector shows in it
            float first = params.getFloat(offsets[k]);
            params.putScalar(offsets[k], Float.NaN);
            boolean shared = Float.isNaN(held.getFloat(0));
            params.putScalar(offsets[k], first);
            if (!shared) {
                throw new IllegalStateException("SameDiff copied variable " + v.name() + " instead of taking a view of "
                        + "the flat parameter vector");
            }
        }
        if (rule instanceof UpdateRule u) {
            this.state = Nd4j.create(DataType.FLOAT, Math.max(1, (long) u.stateNames().size() * size));
            this.blocks = blocks(u.scope(), starts);
        } else {
            this.state = null;
            this.blocks = null;
        }
        // the oracle's order: DL4J's, layer by layer (a convolution's bias before its kernels)
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < variables.size(); k++) {
            boolean convBias = k > 0 && convolutions.get(k - 1) && layer(variables.get(k)).equals(layer(variables.get(k - 1)))
                    && !order.isEmpty() && order.get(order.size() - 1).intValue() == k - 1;
            if (convBias) {
                order.add(order.size() - 1, k);
            } else {
                order.add(k);
            }
        }
        int[] oracleOrder = order.stream().mapToInt(Integer::intValue).toArray();
        this.oracleOffsets = new int[variables.size()];
        int[] bounds = new int[variables.size() + 1];
        int[] kernelSizes = new int[variables.size()];
        for (int j = 0; j < oracleOrder.length; j++) {
            int k = oracleOrder[j];
            oracleOffsets[k] = bounds[j];
            bounds[j + 1] = bounds[j] + (starts.get(k + 1) - starts.get(k));
            kernelSizes[j] = kernels.get(k);
        }
        this.oracle = rule instanceof OracleRule o ? new OracleOptimizer(o, new ParameterLayout(bounds, kernelSizes), seed) : null;
    }

    /** The graph's trainable variables, in SameDiff's order (by name). */
    private static List<String> trainable(SameDiff sd) {
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                names.add(v.name());
            }
        }
        return names;
    }

    private int[] blocks(Scope scope, List<Integer> starts) {
        return switch (scope) {
            case GLOBAL -> null;
            case PER_TENSOR -> starts.stream().mapToInt(Integer::intValue).toArray();
            case PER_LAYER -> {
                List<Integer> bounds = new ArrayList<>(List.of(0));
                for (int k = 1; k < variables.size(); k++) {
                    if (!layer(variables.get(k)).equals(layer(variables.get(k - 1)))) {
                        bounds.add(starts.get(k));
                    }
                }
                bounds.add(size);
                yield bounds.stream().mapToInt(Integer::intValue).toArray();
            }
        };
    }

    /** The layer a variable belongs to: its name up to the last '_' ({@code c1_W}, {@code c1_b} → {@code c1}). */
    static String layer(String variable) {
        int cut = variable.lastIndexOf('_');
        return cut > 0 ? variable.substring(0, cut) : variable;
    }

    /** The number of parameters. */
    public int size() {
        return size;
    }

    /** The steps taken. */
    public long steps() {
        return steps;
    }

    /** The rule. */
    public Rule rule() {
        return rule;
    }

    /** Gradient evaluations so far: one a step for an update rule, the oracle's count for an oracle rule. */
    public long gradientEvaluations() {
        return oracle == null ? steps : oracle.gradientEvaluations();
    }

    /**
     * Seconds spent in the optimizer since construction: gathering the flat gradient, the rule's step (an oracle rule's
     * extra gradient evaluations included) and writing the parameters back.
     */
    public double ruleSeconds() {
        return ruleNanos / 1e9;
    }

    /**
     * One step on this mini-batch at epoch {@code epoch} (0-based, for schedules); returns the mini-batch loss before
     * the step.
     *
     * @throws dev.sofim.optim.NonFiniteGradientException with the parameters and state as before the call
     */
    public double step(INDArray features, INDArray labels, int epoch) {
        OutAndGrad og = evaluate(features, labels);
        double before = og.getOutputs().get(loss).getDouble(0);
        long start = System.nanoTime();
        try {
            if (rule instanceof UpdateRule u) {
                gather(og.getGradients(), grad);
                long t = steps + 1;
                if (blocks == null && u.weightDecay() == 0) {
                    lastSums = FloatStep.compute(u, grad.data().asNio(), 0, state.data().asNio(), 0, size, t, epoch);
                } else {
                    // the parameters only for weight decay (UpdateStep reads them for nothing else)
                    lastSums = UpdateStep.compute(u, NdVec.of(grad, "gradient"), u.stateNames().isEmpty() ? dev.sofim.optim.Vec.empty()
                            : NdVec.of(state, "state"), u.weightDecay() > 0 ? NdVec.of(params, "parameters") : null, t,
                            epoch, blocks);
                }
                lastEpoch = epoch;
                params.subi(grad);
            } else {
                double[] theta = oracleVector(parameterArrays());
                oracle.step(theta, oracleVector(og.getGradients()), before, new BatchOracle(features, labels, theta));
                setOracleVector(theta);
            }
        } finally {
            ruleNanos += System.nanoTime() - start;
        }
        steps++;
        return before;
    }

    /**
     * The regime of the last step ({@link Sofim.Diagnostics}) when the rule is SOFIM; {@link Sofim.Diagnostics#NONE}
     * before the first step (also after a restore, until the next step) and for other rules.
     */
    public Sofim.Diagnostics diagnostics() {
        return rule instanceof Sofim s && lastSums != null ? s.diagnostics(steps, lastEpoch, lastSums)
                : Sofim.Diagnostics.NONE;
    }

    /**
     * Drops the graph's execution sessions (the graph's own, for outputs, and its gradient function's): a session keeps
     * the arrays of its last execution through its op contexts, which nothing reads once a step or an output has
     * returned: a small ResNet's forward and backward at batch 128 kept about 500 MB between steps (measured,
     * {@code toolkit/docs/memory.md}). The next call makes a new session; numbers do not depend on it.
     */
    public void releaseSessions() {
        sd.getSessions().clear();
        SameDiff grad = sd.getFunction("grad");
        if (grad != null) {
            grad.getSessions().clear();
        }
    }

    /** Class probabilities (the graph's {@code output}) for a batch of features. */
    public INDArray output(INDArray features, String output) {
        return sd.output(Map.of(INPUT, features), output).get(output);
    }

    private OutAndGrad evaluate(INDArray features, INDArray labels) {
        Map<String, INDArray> placeholders = Map.of(INPUT, features, LABEL, labels);
        if (sd.getFunction("grad") != null) {
            return sd.calculateGradientsAndOutputs(placeholders, List.of(loss), variables);
        }
        // the first call builds the gradient graph, and ND4J 1.0.0-M2.1 prints a line per op on System.out as it does
        // ("Added differentiated op ..."): dropped here, so CLI and notebook output stay readable
        synchronized (SameDiffStep.class) {
            java.io.PrintStream out = System.out;
            System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
                private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

                @Override
                public void write(int b) {
                    line.write(b);
                    if (b == '\n') {
                        String text = line.toString(java.nio.charset.StandardCharsets.UTF_8);
                        line.reset();
                        if (!text.startsWith("Added differentiated op ")) {
                            out.print(text);
                        }
                    }
                }

                @Override
                public void flush() {
                    if (line.size() > 0) {
                        out.print(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                        line.reset();
                    }
                    out.flush();
                }
            }, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                return sd.calculateGradientsAndOutputs(placeholders, List.of(loss), variables);
            } finally {
                System.out.flush();
                System.setOut(out);
            }
        }
    }

    private Map<String, INDArray> parameterArrays() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String v : variables) {
            m.put(v, sd.getArrForVarName(v));
        }
        return m;
    }

    private INDArray slice(INDArray flat, int k, INDArray like) {
        return flat.get(NDArrayIndex.interval(offsets[k], offsets[k] + like.length()));
    }

    /** The variables' arrays, in order, into a flat FLOAT vector (each in its own element order). */
    private void gather(Map<String, INDArray> arrays, INDArray flat) {
        for (int k = 0; k < variables.size(); k++) {
            INDArray a = arrays.get(variables.get(k));
            slice(flat, k, a).assign(a.reshape(a.length()));
        }
    }

    /**
     * The variables' arrays in the oracle's order, DL4J's flat order: layer by layer, a convolution's bias before its
     * weights [kH, kW, in, out] laid out as [out, in, kH, kW] (each kernel's positions together, for AdaHessian's
     * spatial averaging), a dense layer's weights [in, out] column by column, then its bias. So the Newton-type rules'
     * random probes and sampled coordinates fall on the same parameters as in the DL4J trainer.
     */
    private double[] oracleVector(Map<String, INDArray> arrays) {
        double[] out = new double[size];
        for (int k = 0; k < variables.size(); k++) {
            INDArray a = arrays.get(variables.get(k));
            INDArray ordered = a.rank() == 4 ? a.permute(3, 2, 0, 1) : a.rank() == 2 ? a.transpose() : a;
            double[] d = ordered.castTo(DataType.DOUBLE).dup('c').reshape(a.length()).toDoubleVector();
            System.arraycopy(d, 0, out, oracleOffsets[k], d.length);
        }
        return out;
    }

    /** The mini-batch loss of a batch as a function of θ in the oracle's order, at the current parameters (tests). */
    GradientOracle oracle(INDArray features, INDArray labels) {
        return new BatchOracle(features, labels, oracleVector());
    }

    /** The parameters in the oracle's order (tests). */
    double[] oracleVector() {
        return oracleVector(parameterArrays());
    }

    /** Sets the variables from a vector in the oracle's order (values rounded to float). */
    void setOracleVector(double[] theta) {
        for (int k = 0; k < variables.size(); k++) {
            INDArray p = sd.getArrForVarName(variables.get(k));
            float[] f = new float[(int) p.length()];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) theta[oracleOffsets[k] + i];
            }
            INDArray values = Nd4j.createFromArray(f);
            long[] s = p.shape();
            if (p.rank() == 4) {
                p.assign(values.reshape(s[3], s[2], s[0], s[1]).permute(2, 3, 1, 0));
            } else if (p.rank() == 2) {
                p.assign(values.reshape(s[1], s[0]).transpose());
            } else {
                p.assign(values.reshape(s));
            }
        }
    }

    /** The mini-batch loss as a function of θ (in the oracle's order): the graph evaluated at θ, then put back. */
    private final class BatchOracle implements GradientOracle {
        private final INDArray features;
        private final INDArray labels;
        private final double[] theta;

        BatchOracle(INDArray features, INDArray labels, double[] theta) {
            this.features = features;
            this.labels = labels;
            this.theta = theta.clone();
        }

        @Override
        public int dimension() {
            return size;
        }

        @Override
        public double gradient(double[] at, double[] out) {
            try {
                setOracleVector(at);
                OutAndGrad og = evaluate(features, labels);
                System.arraycopy(oracleVector(og.getGradients()), 0, out, 0, size);
                return og.getOutputs().get(loss).getDouble(0);
            } finally {
                setOracleVector(theta);
            }
        }

        @Override
        public double unitRoundoff() {
            return FLOAT_ROUNDOFF;
        }

        @Override
        public void round(double[] at) {
            for (int i = 0; i < at.length; i++) {
                at[i] = (float) at[i];
            }
        }
    }

    /**
     * Writes the parameters, the rule's state and the step count (what {@link #read} restores exactly). The rule,
     * seed and variable names and sizes are written too, and checked on reading.
     */
    public void write(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeUTF(FORMAT);
        d.writeUTF(rule.toString());
        d.writeLong(seed);
        d.writeLong(steps);
        d.writeInt(variables.size());
        for (String v : variables) {
            d.writeUTF(v);
            INDArray p = sd.getArrForVarName(v);
            d.writeLong(p.length());
            for (float f : p.dup('c').data().asFloat()) {
                d.writeFloat(f);
            }
        }
        if (oracle == null) {
            float[] s = state.data().asFloat();
            d.writeInt(s.length);
            for (float f : s) {
                d.writeFloat(f);
            }
        } else {
            double[] s = oracle.snapshot();
            d.writeInt(s.length);
            for (double x : s) {
                d.writeDouble(x);
            }
        }
        d.flush();
    }

    /**
     * Restores what {@link #write} wrote into this step and its graph (same rule, seed, variables and sizes).
     *
     * @throws IOException if the data was written for another rule, seed or graph, or is cut short
     */
    public void read(InputStream in, String source) throws IOException {
        try {
            readFrom(new DataInputStream(in), source);
        } catch (java.io.EOFException e) {
            throw new IOException(source + " is cut short (a checkpoint written only in part?); delete it to restart the run", e);
        }
    }

    private void readFrom(DataInputStream d, String source) throws IOException {
        String format = d.readUTF();
        if (!FORMAT.equals(format)) {
            throw new IOException(source + " is not a SameDiff step checkpoint (format '" + format + "', expected '"
                    + FORMAT + "')");
        }
        String savedRule = d.readUTF();
        long savedSeed = d.readLong();
        if (!savedRule.equals(rule.toString()) || savedSeed != seed) {
            throw new IOException(source + " was written for " + savedRule + " seed " + savedSeed + ", not " + rule
                    + " seed " + seed);
        }
        long savedSteps = d.readLong();
        int count = d.readInt();
        if (count != variables.size()) {
            throw new IOException(source + " holds " + count + " variables; the graph has " + variables.size());
        }
        List<float[]> values = new ArrayList<>();
        for (String v : variables) {
            String name = d.readUTF();
            long len = d.readLong();
            long expected = sd.getArrForVarName(v).length();
            if (!name.equals(v) || len != expected) {
                throw new IOException(source + " holds variable " + name + " (" + len + " values) where the graph has "
                        + v + " (" + expected + ")");
            }
            float[] f = new float[(int) len];
            for (int i = 0; i < f.length; i++) {
                f[i] = d.readFloat();
            }
            values.add(f);
        }
        int stateLength = d.readInt();
        float[] floats = null;
        double[] doubles = null;
        if (oracle == null) {
            if (stateLength != state.length()) {
                throw new IOException(source + " holds " + stateLength + " state values, expected " + state.length());
            }
            floats = new float[stateLength];
            for (int i = 0; i < stateLength; i++) {
                floats[i] = d.readFloat();
            }
        } else {
            doubles = new double[stateLength];
            for (int i = 0; i < stateLength; i++) {
                doubles[i] = d.readDouble();
            }
            try {
                oracle.restore(doubles);
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": " + e.getMessage(), e);
            }
        }
        for (int k = 0; k < variables.size(); k++) {
            INDArray p = sd.getArrForVarName(variables.get(k));
            p.assign(Nd4j.createFromArray(values.get(k)).reshape(p.shape()));
        }
        if (floats != null) {
            state.assign(Nd4j.createFromArray(floats));
        }
        steps = savedSteps;
    }

    /** {@link #write} into a byte array. */
    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        write(b);
        return b.toByteArray();
    }

    @Override
    public String toString() {
        return "SameDiffStep[" + rule + ", parameters=" + size + ", variables=" + variables.size() + ", steps=" + steps + "]";
    }
}
