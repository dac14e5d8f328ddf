package dev.sofim.bench;

import dev.sofim.data.AtomicFiles;
import dev.sofim.experiment.ComputeThreads;
import dev.sofim.experiment.RunInfo;
import dev.sofim.models.ModelKind;
import dev.sofim.models.SameDiffModels;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where LeNet-5's convolution backward pass loses to its forward pass, and what the toolkit can do about it from Java:
 * a probe, not a test. Three parts, all on one ND4J thread, rows taking turns in rounds (median round reported):
 * <ol>
 *   <li><b>The native ops alone</b> on LeNet-5's two convolution shapes: libnd4j's {@code conv2d} and
 *       {@code conv2d_bp} in both activation layouts (NCHW, NHWC) and all three weight layouts, on oneDNN and on
 *       libnd4j's own kernels (helpers off); {@code im2col} and the two matrix products an im2col convolution needs;
 *       {@code depthwise_conv2d} (the first layer has one input channel, so it is a depthwise convolution too);</li>
 *   <li><b>whole LeNet-5 gradient evaluations</b> (forward and backward, no optimizer) of graph variants: ReLU then
 *       pool (the toolkit before), pool then ReLU (the toolkit now: the same numbers bit for bit), the first
 *       convolution as {@code im2col} + matrix product inside the graph (no gradient formed for the input images), and
 *       as a matrix product on a patch matrix built in Java and fed in as a placeholder (its building timed too);</li>
 *   <li><b>PyTorch CPU</b> ({@code torch_conv.py}) on the same shapes: the convolutions' forward and backward (weights
 *       and bias only for the first layer, whose input needs no gradient, as in training) and the whole LeNet-5
 *       forward and backward.</li>
 * </ol>
 */
public final class ConvProbe {
    /** One convolution of LeNet-5: channels in and out, square input size, 5×5 kernel, same or valid padding. */
    record Layer(String name, int in, int out, int size, boolean same) {
        int outSize() {
            return same ? size : size - 4;
        }

        int pad() {
            return same ? 2 : 0;
        }
    }

    /** LeNet-5's two convolutions on 28×28 single-channel images ({@link SameDiffModels#lenet}). */
    static final List<Layer> LENET = List.of(new Layer("c1", 1, 6, 28, true), new Layer("c2", 6, 16, 14, false));

    /** The LeNet-5 graph variants of part 2. */
    enum Graph {
        RELU_THEN_POOL("ReLU then max-pool (the toolkit before)"),
        POOL_THEN_RELU("max-pool then ReLU (the toolkit now, `SameDiffModels.lenet`)"),
        IM2COL_FIRST("max-pool then ReLU, the first convolution as im2col + matrix product"),
        JAVA_PATCHES("max-pool then ReLU, the first convolution as a matrix product on patches built in Java (their "
                + "building included)");

        final String label;

        Graph(String label) {
            this.label = label;
        }
    }

    /**
     * @param batches the batch sizes
     * @param rounds  measured rounds (after one warm-up round)
     * @param calls   op calls (part 1) or gradient evaluations (part 2) a row makes per round
     * @param pytorch also run part 3
     */
    public record Options(List<Integer> batches, int rounds, int calls, boolean pytorch) {
        public Options {
            if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1) || rounds < 1 || calls < 1) {
                throw new IllegalArgumentException("batches must be >= 1 (at least one), rounds and calls >= 1, got "
                        + batches + ", " + rounds + ", " + calls);
            }
            batches = List.copyOf(batches);
        }
    }

    /** The JAVA_PATCHES graph's placeholder: the first convolution's patch matrix. */
    private static final String PATCHES = "patches";

    /** The PyTorch rows' suffix when the process runs with glibc malloc's defaults ({@link PyTorchSide#ALLOCATOR}). */
    private static final String GLIBC = ", glibc malloc's defaults";

    private ConvProbe() {
    }

    /** Measures, writes {@code out} (markdown) and its {@code .json} twin, returns the markdown. */
    public static String run(Options o, Path out, PrintStream log) throws IOException {
        String loadAtStart = MachineInfo.loadAverage();
        ComputeThreads.set(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        List<String> scripts = List.of("torch_conv.py", "torch_lenet.py");
        try (PyTorchSide torch = o.pytorch() ? PyTorchSide.start(Files.createTempDirectory("sofim-torch-"), scripts,
                List.of(), true) : null;
             PyTorchSide glibc = o.pytorch() ? PyTorchSide.start(Files.createTempDirectory("sofim-torch-"), scripts,
                     List.of(), false) : null) {
            StringBuilder body = new StringBuilder();
            List<String> jsonRows = new ArrayList<>();
            for (int batch : o.batches()) {
                body.append(String.format(Locale.ROOT, "## Batch %d%n%n### The native ops alone (ms a call)%n%n", batch));
                body.append("| layer | op | forward | backward (`_bp`) | backward ÷ forward | backward ÷ PyTorch's |\n"
                        + "|---|---|---:|---:|---:|---:|\n");
                for (Layer l : LENET) {
                    Map<String, Row> rows = ops(l, batch);
                    String torchRow = "PyTorch " + (torch == null ? "" : torch.version) + " conv2d (NCHW, [out, in, kH, kW])"
                            + (l.in() == 1 ? ", no input gradient" : "");
                    if (torch != null) {
                        rows.put(torchRow, calls -> new double[] {torchMs(torch, "conv " + l.name() + " " + batch + " fwd " + calls),
                                torchMs(torch, "conv " + l.name() + " " + batch + " bwd " + calls)});
                        rows.put(torchRow + GLIBC, calls -> new double[] {torchMs(glibc, "conv " + l.name() + " " + batch
                                + " fwd " + calls), torchMs(glibc, "conv " + l.name() + " " + batch + " bwd " + calls)});
                    }
                    Map<String, double[]> ms = measure(rows, o, log, "batch " + batch + " " + l.name());
                    double torchBackward = torch == null ? Double.NaN : ms.get(torchRow)[1];
                    for (Map.Entry<String, double[]> e : ms.entrySet()) {
                        double f = e.getValue()[0];
                        double b = e.getValue().length > 1 ? e.getValue()[1] : Double.NaN;
                        body.append(String.format(Locale.ROOT, "| %s %d→%d %d×%d%s | %s | %s | %s | %s | %s |%n", l.name(),
                                l.in(), l.out(), l.size(), l.size(), l.same() ? " same" : "", e.getKey(), num(f), num(b),
                                ratio(b, f), ratio(b, torchBackward)));
                        jsonRows.add(String.format(Locale.ROOT, "    {\"batch\": %d, \"layer\": \"%s\", \"op\": \"%s\", "
                                + "\"forwardMs\": %s, \"backwardMs\": %s}", batch, l.name(), e.getKey(), jnum(f), jnum(b)));
                    }
                }
                body.append(String.format(Locale.ROOT, "%n### Whole LeNet-5 gradient evaluations (ms a step, no optimizer)%n%n"
                        + "| graph | ms a step | images/s | ÷ PyTorch's step time |%n|---|---:|---:|---:|%n"));
                Map<String, Row> graphs = new LinkedHashMap<>();
                for (Graph g : Graph.values()) {
                    graphs.put(g.label, step(g, batch));
                }
                String torchRow = "PyTorch " + (torch == null ? "" : torch.version) + ", the same LeNet-5";
                if (torch != null) {
                    graphs.put(torchRow, calls -> new double[] {torchMs(torch, "lenet " + batch + " " + calls)});
                    graphs.put(torchRow + GLIBC, calls -> new double[] {torchMs(glibc, "lenet " + batch + " " + calls)});
                }
                Map<String, double[]> ms = measure(graphs, o, log, "batch " + batch + " graphs");
                double torchStep = torch == null ? Double.NaN : ms.get(torchRow)[0];
                for (Map.Entry<String, double[]> e : ms.entrySet()) {
                    double st = e.getValue()[0];
                    body.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %s |%n", e.getKey(), num(st), 1000 * batch / st,
                            ratio(st, torchStep)));
                    jsonRows.add(String.format(Locale.ROOT, "    {\"batch\": %d, \"graph\": \"%s\", \"stepMs\": %s}", batch,
                            e.getKey(), jnum(st)));
                }
                body.append('\n');
            }
            String md = String.format(Locale.ROOT, "# LeNet-5's convolutions: where the backward pass goes (probe)%n%n"
                            + "Machine: %s  %nDate: %s  %nLoad average (1, 5, 15 min): %s at the start, %s at the end  %n"
                            + "ND4J build: %s, 1 OpenMP thread%s  %nSetup: float32, random inputs; every row one warm-up round, "
                            + "then %d rounds of %d calls, rows taking turns (PyTorch's too, timed in its own process; its "
                            + "comparison row with the allocator settings of `PyTorchSide.ALLOCATOR`, and once more with glibc "
                            + "malloc's defaults); the median round's ms a call. `toolkit/bin/sofim bench conv-probe%s` writes this file.%n%n",
                    MachineInfo.machine(), LocalDate.now(), loadAtStart, MachineInfo.loadAverage(), RunInfo.nd4jBuild(),
                    torch == null ? "" : "; PyTorch " + torch.version + " on 1 thread", o.rounds(), o.calls(),
                    torch == null ? "" : " --compare-pytorch") + body;
            AtomicFiles.writeString(out, md);
            AtomicFiles.writeString(out.resolveSibling(out.getFileName().toString().replaceAll("\\.md$", "") + ".json"),
                    "{\n  \"build\": \"" + RunInfo.nd4jBuild() + "\",\n  \"rows\": [\n" + String.join(",\n", jsonRows)
                            + "\n  ]\n}\n");
            return md;
        }
    }

    private static double torchMs(PyTorchSide torch, String request) throws IOException {
        return Double.parseDouble(torch.request(request, "ms ").substring(3));
    }

    /** A measured row: {@code calls} calls, the ms a call of its forward (and backward) part. */
    private interface Row {
        double[] round(int calls) throws IOException;
    }

    /** A row of two native calls (the backward null when there is none), timed here. */
    private static Row timed(Runnable forward, Runnable backward) {
        return calls -> {
            Runnable[] parts = backward == null ? new Runnable[] {forward} : new Runnable[] {forward, backward};
            double[] ms = new double[parts.length];
            for (int c = 0; c < parts.length; c++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    parts[c].run();
                }
                ms[c] = (System.nanoTime() - t0) / 1e6 / calls;
            }
            return ms;
        };
    }

    /** Part 1's rows for one layer and batch, on preallocated arrays. */
    private static Map<String, Row> ops(Layer l, int batch) {
        Map<String, Row> ops = new LinkedHashMap<>();
        String[] weightNames = {"[kH, kW, in, out]", "[out, in, kH, kW]", "[out, kH, kW, in]"};
        for (boolean helpers : new boolean[] {true, false}) {
            for (int format = 0; format < 2; format++) {
                for (int wf = 0; wf < 3; wf++) {
                    if (!helpers && (format != 0 || wf != 0)) {
                        continue;  // libnd4j's own kernels: one layout shows them
                    }
                    ops.put("conv2d " + (format == 0 ? "NCHW " : "NHWC ") + weightNames[wf] + (helpers ? " oneDNN"
                            : " libnd4j (helpers off)"), conv(l, batch, format, wf, helpers));
                }
            }
        }
        int k = 25 * l.in();
        long rows = (long) batch * l.outSize() * l.outSize();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, l.in(), l.size(), l.size());
        INDArray col = Nd4j.create(DataType.FLOAT, batch, l.in(), 5, 5, l.outSize(), l.outSize());
        ops.put("im2col (NCHW), the patch matrix", timed(helpers(true, () -> Nd4j.exec(DynamicCustomOp.builder("im2col")
                .addInputs(x).addOutputs(col).addIntegerArguments(5, 5, 1, 1, l.pad(), l.pad(), 1, 1, l.same() ? 1 : 0)
                .addFloatingPointArguments(0.0).build())), null));
        if (l.in() == 1) {
            float[] images = x.data().asFloat();
            INDArray built = Nd4j.create(DataType.FLOAT, rows, k);
            ops.put("the same patch matrix built in Java from the images' floats into a native array", timed(() ->
                    patches(images, batch, l, built), null));
        }
        INDArray patches = Nd4j.rand(DataType.FLOAT, rows, k);
        INDArray w = Nd4j.rand(DataType.FLOAT, k, l.out());
        INDArray y = Nd4j.create(DataType.FLOAT, rows, l.out());
        INDArray gw = w.ulike();
        INDArray gy = y.ulike().assign(0.25);
        ops.put("matrix products of an im2col convolution: patches × W, and its weight gradient patchesᵀ × dY",
                timed(() -> Nd4j.gemm(patches, w, y, false, false, 1.0, 0.0),
                        () -> Nd4j.gemm(patches, gy, gw, true, false, 1.0, 0.0)));
        if (l.in() == 1) {
            INDArray dx = x.ulike();
            INDArray dw = Nd4j.rand(DataType.FLOAT, 5, 5, 1, l.out());
            INDArray db = Nd4j.rand(DataType.FLOAT, l.out());
            INDArray dy = Nd4j.create(DataType.FLOAT, batch, l.out(), l.outSize(), l.outSize());
            INDArray gdy = dy.ulike().assign(0.25);
            int[] args = {5, 5, 1, 1, l.pad(), l.pad(), 1, 1, l.same() ? 1 : 0, 0};
            ops.put("depthwise_conv2d NCHW [kH, kW, in, out/in] (one input channel)", timed(
                    () -> Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d").addInputs(x, dw, db).addOutputs(dy)
                            .addIntegerArguments(args).build()),
                    () -> Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d_bp").addInputs(x, dw, db, gdy)
                            .addOutputs(dx, dw.ulike(), db.ulike()).addIntegerArguments(args).build())));
        }
        return ops;
    }

    /** conv2d and conv2d_bp in one layout: format 0 NCHW, 1 NHWC; weights 0 [kH,kW,in,out], 1 [out,in,kH,kW], 2 [out,kH,kW,in]. */
    private static Row conv(Layer l, int batch, int format, int wf, boolean helpers) {
        int s = l.size();
        int o = l.outSize();
        INDArray x = format == 0 ? Nd4j.rand(DataType.FLOAT, batch, l.in(), s, s) : Nd4j.rand(DataType.FLOAT, batch, s, s, l.in());
        long[] ws = switch (wf) {
            case 0 -> new long[] {5, 5, l.in(), l.out()};
            case 1 -> new long[] {l.out(), l.in(), 5, 5};
            default -> new long[] {l.out(), 5, 5, l.in()};
        };
        INDArray w = Nd4j.rand(DataType.FLOAT, ws).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, l.out());
        INDArray y = format == 0 ? Nd4j.create(DataType.FLOAT, batch, l.out(), o, o) : Nd4j.create(DataType.FLOAT, batch, o, o, l.out());
        INDArray gy = y.ulike().assign(0.25);
        INDArray gx = x.ulike();
        INDArray gw = w.ulike();
        INDArray gb = b.ulike();
        int[] args = {5, 5, 1, 1, l.pad(), l.pad(), 1, 1, l.same() ? 1 : 0, format, wf};
        return timed(helpers(helpers, () -> Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(y)
                .addIntegerArguments(args).build())),
                helpers(helpers, () -> Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, gy)
                        .addOutputs(gx, gw, gb).addIntegerArguments(args).build())));
    }

    /**
     * The patch matrix of a single-channel convolution with a 5×5 kernel and stride 1: row (n, oy, ox), column (ky, kx),
     * zeros outside the image, written into {@code out} ([batch·oH·oW, 25], c order).
     */
    static void patches(float[] images, int batch, Layer l, INDArray out) {
        int s = l.size();
        int o = l.outSize();
        int pad = l.pad();
        float[] row = new float[o * o * 25];
        java.nio.FloatBuffer dst = out.data().asNio().asFloatBuffer();
        for (int n = 0; n < batch; n++) {
            int base = n * s * s;
            int at = 0;
            for (int oy = 0; oy < o; oy++) {
                for (int ox = 0; ox < o; ox++) {
                    for (int ky = 0; ky < 5; ky++) {
                        int iy = oy + ky - pad;
                        boolean inY = iy >= 0 && iy < s;
                        for (int kx = 0; kx < 5; kx++) {
                            int ix = ox + kx - pad;
                            row[at++] = inY && ix >= 0 && ix < s ? images[base + iy * s + ix] : 0f;
                        }
                    }
                }
            }
            dst.put(n * row.length, row);
        }
    }

    /** {@code r} with libnd4j's platform helpers (oneDNN) allowed or not, restored to allowed after. */
    private static Runnable helpers(boolean allowed, Runnable r) {
        return allowed ? r : () -> {
            Nd4j.getEnvironment().allowHelpers(false);
            try {
                r.run();
            } finally {
                Nd4j.getEnvironment().allowHelpers(true);
            }
        };
    }

    /** Part 2's row: one gradient evaluation of LeNet-5 built as {@code g}, on a fixed random batch. */
    private static Row step(Graph g, int batch) {
        SameDiff sd = g == Graph.POOL_THEN_RELU ? SameDiffModels.lenet(1, 28, 28, 10, 1) : variant(g);
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, 784);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % 10, 1f);
        }
        List<String> vars = SameDiffModels.parameters(ModelKind.LENET);
        if (g == Graph.JAVA_PATCHES) {
            Layer c1 = LENET.get(0);
            float[] images = features.data().asFloat();
            INDArray patches = Nd4j.create(DataType.FLOAT, (long) batch * c1.outSize() * c1.outSize(), 25);
            Map<String, INDArray> ph = Map.of(PATCHES, patches, SameDiffModels.LABEL, labels);
            return timed(() -> {
                patches(images, batch, c1, patches);
                sd.calculateGradientsAndOutputs(ph, List.of(SameDiffModels.LOSS), vars);
            }, null);
        }
        Map<String, INDArray> ph = Map.of(SameDiffModels.INPUT, features, SameDiffModels.LABEL, labels);
        return timed(() -> sd.calculateGradientsAndOutputs(ph, List.of(SameDiffModels.LOSS), vars), null);
    }

    /** The probe's other LeNet-5 graphs, with {@link SameDiffModels#lenet}'s variable names and shapes (random weights). */
    private static SameDiff variant(Graph g) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder(SameDiffModels.INPUT, DataType.FLOAT, -1, 784);
        SDVariable label = sd.placeHolder(SameDiffModels.LABEL, DataType.FLOAT, -1, 10);
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).paddingMode(PaddingMode.VALID)
                .isNHWC(false).build();
        SDVariable x = in.reshape(-1, 1, 28, 28);
        for (Layer l : LENET) {
            SDVariable w = sd.var(l.name() + "_W", Nd4j.randn(DataType.FLOAT, 5, 5, l.in(), l.out()).muli(0.1));
            SDVariable b = sd.var(l.name() + "_b", Nd4j.zeros(DataType.FLOAT, l.out()));
            PaddingMode padding = l.same() ? PaddingMode.SAME : PaddingMode.VALID;
            SDVariable z;
            if (g == Graph.JAVA_PATCHES && l.in() == 1) {
                long p = (long) l.outSize() * l.outSize();
                SDVariable rows = sd.placeHolder(PATCHES, DataType.FLOAT, -1, 25);                  // [B·oH·oW, 25]
                z = rows.mmul(w.reshape(25, l.out())).add(b).reshape(-1, p, l.out()).permute(0, 2, 1)
                        .reshape(-1, l.out(), l.outSize(), l.outSize());
            } else if (g == Graph.IM2COL_FIRST && l.in() == 1) {
                long k = 25L * l.in();
                long p = (long) l.outSize() * l.outSize();
                SDVariable col = sd.cnn().im2Col(x, Conv2DConfig.builder().kH(5).kW(5).sH(1).sW(1).pH(l.pad())
                        .pW(l.pad()).dH(1).dW(1).paddingMode(padding).build());            // [B, in, 5, 5, oH, oW]
                SDVariable rows = col.reshape(-1, k, p).permute(0, 2, 1).reshape(-1, k); // [B·oH·oW, in·25]
                SDVariable wk = w.permute(2, 0, 1, 3).reshape(k, l.out());                // [in·25, out]
                z = rows.mmul(wk).add(b).reshape(-1, p, l.out()).permute(0, 2, 1).reshape(-1, l.out(), l.outSize(),
                        l.outSize());
            } else {
                z = sd.cnn().conv2d(x, w, b, Conv2DConfig.builder().kH(5).kW(5).sH(1).sW(1).paddingMode(padding)
                        .dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build());
            }
            x = g == Graph.RELU_THEN_POOL ? sd.cnn().maxPooling2d(sd.nn().relu(z, 0), pool)
                    : sd.nn().relu(sd.cnn().maxPooling2d(z, pool), 0);
        }
        x = x.reshape(-1, 400);
        long[][] dense = {{400, 120}, {120, 84}, {84, 10}};
        String[] names = {"d1", "d2", SameDiffModels.OUTPUT};
        for (int i = 0; i < 3; i++) {
            x = x.mmul(sd.var(names[i] + "_W", Nd4j.randn(DataType.FLOAT, dense[i]).muli(0.1)))
                    .add(sd.var(names[i] + "_b", Nd4j.zeros(DataType.FLOAT, dense[i][1])));
            if (i < 2) {
                x = sd.nn().relu(x, 0);
            }
        }
        sd.loss.softmaxCrossEntropy(SameDiffModels.LOSS, label, x, null);
        return sd;
    }

    /** Every row's median ms a call ({forward} or {forward, backward}), rows taking turns, one warm-up round. */
    private static Map<String, double[]> measure(Map<String, Row> rows, Options o, PrintStream log, String what)
            throws IOException {
        Map<String, List<double[]>> rounds = new LinkedHashMap<>();
        rows.keySet().forEach(k -> rounds.put(k, new ArrayList<>()));
        for (int r = -1; r < o.rounds(); r++) {
            for (Map.Entry<String, Row> e : rows.entrySet()) {
                double[] ms = e.getValue().round(o.calls());
                if (r >= 0) {
                    rounds.get(e.getKey()).add(ms);
                }
            }
            if (r >= 0) {
                log.printf(Locale.ROOT, "%s: round %d/%d%n", what, r + 1, o.rounds());
            }
        }
        Map<String, double[]> medians = new LinkedHashMap<>();
        rounds.forEach((k, list) -> medians.put(k, java.util.stream.IntStream.range(0, list.get(0).length)
                .mapToDouble(c -> Throughput.median(list.stream().mapToDouble(m -> m[c]).toArray())).toArray()));
        return medians;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String jnum(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "" : String.format(Locale.ROOT, "%.1f×", a / b);
    }
}
