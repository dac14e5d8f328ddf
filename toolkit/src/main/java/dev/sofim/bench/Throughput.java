package dev.sofim.bench;

import dev.sofim.data.AtomicFiles;
import dev.sofim.data.ImageSet;
import dev.sofim.experiment.Batches;
import dev.sofim.experiment.Scores;
import dev.sofim.models.ModelKind;
import dev.sofim.models.Models;
import dev.sofim.models.SameDiffModels;
import dev.sofim.optim.Adam;
import dev.sofim.optim.FloatStep;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.dl4j.Dl4jAdam;
import dev.sofim.optim.dl4j.Dl4jSgd;
import dev.sofim.optim.dl4j.Dl4jSofim;
import dev.sofim.optim.dl4j.SameDiffStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Training throughput (images per second) of the LeNet-5 model: SOFIM and the baselines through DL4J, ND4J's own
 * {@code Nesterovs} and {@code Adam}, and optionally the same LeNet-5 in PyTorch CPU (Debian's {@code python3-torch})
 * with SOFIM and Nesterov momentum, on the same images in the same batches. Everything takes turns in rounds, so slow
 * phases of a shared machine hit all rows; each row reports the median round with min and max, and its mean training
 * loss in the first and the last round, which shows that it trains a live network.
 */
public final class Throughput {
    /** SOFIM as benchmarked: the defaults (η 3, ρ 10, paper reading), which the LeNet-5 validation grids chose. */
    public static final Sofim SOFIM = Sofim.defaults();
    /** Nesterov momentum as benchmarked. */
    public static final Sgd NESTEROV = Sgd.nesterov(Sgd.DEFAULT_LEARNING_RATE, Sgd.DEFAULT_MOMENTUM);

    private Throughput() {
    }

    /**
     * How to measure.
     *
     * @param batchSize       images per batch
     * @param batchesPerRound batches each row trains per round
     * @param rounds          measured rounds (after one warm-up round)
     * @param threads         native threads for ND4J and PyTorch; 0 leaves each library's default
     * @param pytorch         also run the PyTorch rows (needs {@code python3} with {@code torch})
     * @param model           the network: {@link #MODELS} (its PyTorch twin is in {@code torch_lenet.py})
     */
    public record Options(int batchSize, int batchesPerRound, int rounds, int threads, boolean pytorch, ModelKind model) {
        public Options {
            if (batchSize < 1 || batchesPerRound < 1 || rounds < 1 || threads < 0) {
                throw new IllegalArgumentException("batchSize, batchesPerRound and rounds must be >= 1 and threads >= 0, got "
                        + batchSize + ", " + batchesPerRound + ", " + rounds + ", " + threads);
            }
            if (!MODELS.contains(model)) {
                throw new IllegalArgumentException("the throughput benchmark runs " + MODELS + ", got " + model);
            }
        }
    }

    /** The networks this benchmark has on both sides (Java and PyTorch). */
    public static final List<ModelKind> MODELS = List.of(ModelKind.LENET, ModelKind.MLP);

    /** The DL4J updaters compared, by label. */
    public static Map<String, IUpdater> updaters() {
        Map<String, IUpdater> m = new LinkedHashMap<>();
        m.put("sofim", new Dl4jSofim(SOFIM));
        m.put("native-nesterovs", new Nesterovs(NESTEROV.learningRate(), NESTEROV.momentum()));
        m.put("native-adam", new org.nd4j.linalg.learning.config.Adam(Adam.DEFAULT_LEARNING_RATE));
        m.put("sofim-nesterov", new Dl4jSgd(NESTEROV));
        m.put("sofim-adam", new Dl4jAdam(Adam.defaults()));
        return m;
    }

    /** One row of the table: trains some batches and returns {images/s, mean loss}. */
    private interface Row {
        double[] round(int batches) throws IOException;
    }

    /** Measures and writes {@code out} (markdown) next to a {@code .json} twin; returns the markdown. */
    public static String run(ImageSet train, Options o, Path out, PrintStream log) throws IOException {
        String loadAtStart = MachineInfo.loadAverage();
        int full = train.size() / o.batchSize();
        if (full < 1) {
            throw new IllegalArgumentException("the training set has " + train.size() + " images, fewer than one batch of "
                    + o.batchSize());
        }
        if (o.threads() > 0) {
            dev.sofim.experiment.ComputeThreads.set(o.threads());
            Nd4j.getEnvironment().setMaxMasterThreads(o.threads());
        }
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < full; b++) {
            batches.add(Batches.all(train.slice(b * o.batchSize(), (b + 1) * o.batchSize())));
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        long params = 0;
        for (Map.Entry<String, IUpdater> e : updaters().entrySet()) {
            MultiLayerNetwork net = (MultiLayerNetwork) Models.build(o.model(), train.channels(), train.height(),
                    train.width(), train.classes(), e.getValue(), 1);
            params = net.numParams();
            int[] cursor = {0};
            rows.put("dl4j " + e.getKey(), n -> timed(batches, n, cursor, d -> {
                net.fit(d);
                return net.score();
            }));
        }
        // the same network as a SameDiff graph whose step the toolkit runs itself (the design's direction)
        Map<String, SameDiffStep> samediff = new LinkedHashMap<>();
        for (var e : List.of(Map.entry("sofim", (dev.sofim.optim.UpdateRule) SOFIM), Map.entry("nesterov", NESTEROV))) {
            SameDiffStep step = new SameDiffStep(SameDiffModels.build(o.model(), train.channels(), train.height(),
                    train.width(), train.classes(), 1), SameDiffModels.LOSS, SameDiffModels.parameters(o.model()),
                    e.getValue(), 1);
            int[] cursor = {0};
            samediff.put(e.getKey(), step);
            rows.put("samediff " + e.getKey(), n -> timed(batches, n, cursor,
                    d -> step.step(d.getFeatures(), d.getLabels(), 0)));
        }
        // evaluation as a study evaluates: forward only, in the model's evaluation chunks, mean loss and accuracy
        // (Scores), here of the SameDiff SOFIM row's network on all the benchmark's images, once a round
        SameDiffStep evaluated = samediff.get("sofim");
        DataSet all = Batches.all(train.slice(0, full * o.batchSize()));
        rows.put("samediff eval", n -> {
            long t0 = System.nanoTime();
            Scores s = Scores.of(x -> evaluated.output(x, SameDiffModels.OUTPUT), all, o.model().evaluationChunk());
            return new double[] {all.numExamples() / ((System.nanoTime() - t0) / 1e9), s.loss()};
        });
        TorchProcess torch = o.pytorch() ? TorchProcess.start(train.slice(0, full * o.batchSize()), o, log) : null;
        try {
            if (torch != null) {
                rows.put("pytorch sofim", n -> torch.round("sofim", n));
                rows.put("pytorch nesterov", n -> torch.round("nesterov", n));
                rows.put("pytorch eval", n -> torch.eval("sofim"));
            }
            for (Row r : rows.values()) {
                r.round(o.batchesPerRound());   // warm-up
            }
            Map<String, double[][]> measured = new LinkedHashMap<>();
            rows.keySet().forEach(k -> measured.put(k, new double[o.rounds()][]));
            for (int r = 0; r < o.rounds(); r++) {
                for (Map.Entry<String, Row> e : rows.entrySet()) {
                    measured.get(e.getKey())[r] = e.getValue().round(o.batchesPerRound());
                }
                log.printf(Locale.ROOT, "round %d/%d done%n", r + 1, o.rounds());
            }
            String md = table(measured, o, params, torch == null ? null : torch.version, loadAtStart, all.numExamples());
            AtomicFiles.writeString(out, md);
            String name = out.getFileName().toString().replaceAll("\\.md$", "");
            AtomicFiles.writeString(out.resolveSibling(name + ".json"), json(measured, o));
            return md;
        } finally {
            if (torch != null) {
                torch.close();
            }
        }
    }

    private static String table(Map<String, double[][]> measured, Options o, long params, String torchVersion,
                                String loadAtStart, long evalImages) throws IOException {
        double base = median(column(measured.get("dl4j native-nesterovs"), 0));
        StringBuilder md = new StringBuilder("# " + (o.model() == ModelKind.LENET ? "LeNet-5" : o.model().name())
                + " training throughput (images/s)\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %s  %nDate: %s  %nLoad average (1, 5, 15 min): %s at the start, "
                + "%s at the end  %n", MachineInfo.machine(), LocalDate.now(), loadAtStart, MachineInfo.loadAverage()));
        md.append(String.format(Locale.ROOT, "Threads: %s (ND4J's OpenMP threads: %d); ND4J build: %s; the optimizer step "
                        + "engine: %s%s  %n",
                o.threads() == 0 ? "each library's default" : o.threads() + " (ND4J and PyTorch)",
                dev.sofim.experiment.ComputeThreads.current(), dev.sofim.experiment.RunInfo.nd4jBuild(), FloatStep.engine(),
                torchVersion == null ? "" : "; PyTorch " + torchVersion));
        md.append(String.format(Locale.ROOT, "Setup: %d parameters, batch %d, float32, the same MNIST images in the same "
                        + "order for every row; one warm-up round, then %d rounds of %d batches per row, rows taking turns; "
                        + "median round with min and max. SOFIM: %s; Nesterov: learning rate %s, momentum %s. The eval rows: "
                        + "the SOFIM row's network evaluated on all %d images once a round, forward only, in chunks of %d "
                        + "(SameDiff: `sd.output`, scored by the harness's `Scores`; PyTorch: `torch.no_grad()`), their loss "
                        + "column the mean test-style loss.%n%n",
                params, o.batchSize(), o.rounds(), o.batchesPerRound(), SOFIM, NESTEROV.learningRate(), NESTEROV.momentum(),
                evalImages, o.model().evaluationChunk()));
        boolean torch = measured.containsKey("pytorch sofim");
        md.append("| system | updater | images/s (median) | min | max | ratio to DL4J native-nesterovs |")
                .append(torch ? " ratio to PyTorch, same optimizer |" : "")
                .append(" mean loss, first → last round |\n|---|---|---:|---:|---:|---:|").append(torch ? "---:|" : "")
                .append("---|\n");
        for (Map.Entry<String, double[][]> e : measured.entrySet()) {
            double[] v = column(e.getValue(), 0);
            double med = median(v);
            String[] sys = e.getKey().split(" ", 2);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %.3f |", sys[0], sys[1], med,
                    Arrays.stream(v).min().orElse(0), Arrays.stream(v).max().orElse(0), med / base));
            if (torch) {
                String same = sys[1].equals("sofim") ? "pytorch sofim"
                        : sys[1].contains("nesterov") ? "pytorch nesterov" : sys[1].equals("eval") ? "pytorch eval" : null;
                md.append(same == null ? " – |" : String.format(Locale.ROOT, " %.3f |",
                        med / median(column(measured.get(same), 0))));
            }
            double[][] r = e.getValue();
            md.append(String.format(Locale.ROOT, " %.3f → %.3f |%n", r[0][1], r[r.length - 1][1]));
        }
        return md.toString();
    }

    private static String json(Map<String, double[][]> measured, Options o) {
        StringBuilder json = new StringBuilder("{\n  \"unit\": \"images/s\",\n");
        json.append("  \"model\": \"" + o.model() + "\",\n");
        json.append(String.format(Locale.ROOT, "  \"batchSize\": %d,\n  \"threads\": %d,\n  \"nd4jBuild\": \"" + dev.sofim.experiment.RunInfo.nd4jBuild() + "\",\n  \"stepEngine\": \"%s\",\n  \"results\": [\n",
                o.batchSize(), o.threads(), FloatStep.engine()));
        int i = 0;
        for (Map.Entry<String, double[][]> e : measured.entrySet()) {
            double[] v = column(e.getValue(), 0);
            json.append(String.format(Locale.ROOT, "    {\"row\": \"%s\", \"median\": %.1f, \"min\": %.1f, \"max\": %.1f, "
                            + "\"rounds\": %s, \"firstLoss\": %.6f, \"lastLoss\": %.6f}%s%n", e.getKey(), median(v),
                    Arrays.stream(v).min().orElse(0), Arrays.stream(v).max().orElse(0), Arrays.toString(v),
                    e.getValue()[0][1], e.getValue()[e.getValue().length - 1][1], ++i < measured.size() ? "," : ""));
        }
        return json.append("  ]\n}\n").toString();
    }

    /** Trains {@code count} batches (cycling from {@code cursor}) with {@code step}, which returns each batch's loss. */
    private static double[] timed(List<DataSet> batches, int count, int[] cursor, ToDoubleFunction<DataSet> step) {
        long images = 0;
        double loss = 0;
        long t0 = System.nanoTime();
        for (int b = 0; b < count; b++) {
            DataSet d = batches.get(cursor[0]++ % batches.size());
            loss += step.applyAsDouble(d);
            images += d.numExamples();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("the loss became non-finite during the benchmark");
        }
        return new double[] {images / seconds, loss / count};
    }

    private static double[] column(double[][] rows, int k) {
        return Arrays.stream(rows).mapToDouble(r -> r[k]).toArray();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The PyTorch side: {@code torch_lenet.py} on the same images and batches, driven per round. */
    private static final class TorchProcess implements AutoCloseable {
        private final PyTorchSide side;
        final String version;

        private TorchProcess(PyTorchSide side) {
            this.side = side;
            this.version = side.version;
        }

        static TorchProcess start(ImageSet data, Options o, PrintStream log) throws IOException {
            Path dir = Files.createTempDirectory("sofim-torch-");
            ByteBuffer pixels = ByteBuffer.allocate(4 * data.pixels().length).order(ByteOrder.LITTLE_ENDIAN);
            pixels.asFloatBuffer().put(data.pixels());
            Files.write(dir.resolve("images.f32"), pixels.array());
            ByteBuffer labels = ByteBuffer.allocate(4 * data.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (int label : data.labels()) {
                labels.putFloat(label);
            }
            Files.write(dir.resolve("labels.f32"), labels.array());
            TorchProcess t = new TorchProcess(PyTorchSide.start(dir, List.of("torch_lenet.py"), List.of("--images",
                    dir.resolve("images.f32").toString(), "--labels", dir.resolve("labels.f32").toString(), "--shape",
                    data.size() + "," + data.channels() + "," + data.height() + "," + data.width(), "--classes",
                    String.valueOf(data.classes()), "--batch", String.valueOf(o.batchSize()), "--eval-chunk",
                    String.valueOf(o.model().evaluationChunk()), "--model", o.model().name().toLowerCase(Locale.ROOT),
                    "--threads",
                    String.valueOf(o.threads()), "--sofim", SOFIM.learningRate() + "," + SOFIM.beta() + "," + SOFIM.rho(),
                    "--nesterov", NESTEROV.learningRate() + "," + NESTEROV.momentum())));
            log.println("PyTorch " + t.version + " started");
            return t;
        }

        /** Evaluates the model trained with {@code optimizer} on all the images: {images/s, mean loss}. */
        double[] eval(String optimizer) throws IOException {
            String[] w = side.request("eval " + optimizer, "rate ").split(" ");
            return new double[] {Double.parseDouble(w[1]), Double.parseDouble(w[3])};
        }

        double[] round(String optimizer, int batches) throws IOException {
            String[] w = side.request("round " + optimizer + " " + batches, "rate ").split(" ");
            return new double[] {Double.parseDouble(w[1]), Double.parseDouble(w[3])};
        }

        @Override
        public void close() throws IOException {
            side.close();
        }
    }
}
