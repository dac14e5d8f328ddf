package dev.sofim.bench;

import dev.sofim.data.AtomicFiles;
import dev.sofim.data.ImageSet;
import dev.sofim.experiment.Batches;
import dev.sofim.models.ModelKind;
import dev.sofim.models.Models;
import dev.sofim.optim.Adam;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.dl4j.Dl4jAdam;
import dev.sofim.optim.dl4j.Dl4jSgd;
import dev.sofim.optim.dl4j.Dl4jSofim;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training throughput (images per second) of the LeNet model with SOFIM and the baselines, ND4J's
 * own {@code Nesterovs} and {@code Adam} in the same run. The updaters take turns in rounds, so slow
 * phases of a shared machine hit all of them; the median round is reported, with ratios to
 * {@code Nesterovs}.
 */
public final class Throughput {
    private Throughput() {
    }

    /** The updaters compared, by label. */
    public static Map<String, IUpdater> updaters() {
        Map<String, IUpdater> m = new LinkedHashMap<>();
        m.put("sofim", new Dl4jSofim(Sofim.defaults()));
        m.put("native-nesterovs", new Nesterovs(Sgd.DEFAULT_LEARNING_RATE, Sgd.DEFAULT_MOMENTUM));
        m.put("native-adam", new org.nd4j.linalg.learning.config.Adam(Adam.DEFAULT_LEARNING_RATE));
        m.put("sofim-nesterov", new Dl4jSgd(new Sgd(Sgd.DEFAULT_LEARNING_RATE, Sgd.DEFAULT_MOMENTUM, true, 0,
                dev.sofim.optim.LearningRateSchedule.constant())));
        m.put("sofim-adam", new Dl4jAdam(Adam.defaults()));
        return m;
    }

    /** Measures and writes {@code out} (markdown) next to a {@code .json} twin; returns the markdown. */
    public static String run(ImageSet train, int batchSize, int batchesPerRound, int rounds, Path out, PrintStream log)
            throws IOException {
        Map<String, IUpdater> ups = updaters();
        Map<String, MultiLayerNetwork> nets = new LinkedHashMap<>();
        for (Map.Entry<String, IUpdater> e : ups.entrySet()) {
            nets.put(e.getKey(), (MultiLayerNetwork) Models.build(ModelKind.LENET, train.channels(), train.height(),
                    train.width(), train.classes(), e.getValue(), 1));
        }
        List<DataSet> batches = Batches.epoch(train, batchSize, 1, 0);
        int[] cursor = {0};
        for (MultiLayerNetwork net : nets.values()) {
            fit(net, batches, batchesPerRound, cursor);
        }
        Map<String, double[]> rates = new LinkedHashMap<>();
        nets.keySet().forEach(k -> rates.put(k, new double[rounds]));
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, MultiLayerNetwork> e : nets.entrySet()) {
                long t0 = System.nanoTime();
                long images = fit(e.getValue(), batches, batchesPerRound, cursor);
                rates.get(e.getKey())[r] = images / ((System.nanoTime() - t0) / 1e9);
            }
            log.printf(Locale.ROOT, "round %d/%d done%n", r + 1, rounds);
        }
        double base = median(rates.get("native-nesterovs"));
        StringBuilder md = new StringBuilder("# LeNet training throughput (images/s)\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %d cores, Java %s, %s %s  %nDate: %s  %n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"), LocalDate.now()));
        md.append(String.format(Locale.ROOT, "Setup: %d params, batch %d, %d rounds of %d batches per updater (taking turns), median round.%n%n",
                nets.values().iterator().next().numParams(), batchSize, rounds, batchesPerRound));
        md.append("| updater | images/s (median) | min | max | ratio to native-nesterovs |\n|---|---:|---:|---:|---:|\n");
        StringBuilder json = new StringBuilder("{\n  \"unit\": \"images/s\",\n  \"results\": [\n");
        int i = 0;
        for (Map.Entry<String, double[]> e : rates.entrySet()) {
            double[] v = e.getValue().clone();
            Arrays.sort(v);
            double med = median(v);
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.3f |%n", e.getKey(), med, v[0], v[v.length - 1], med / base));
            json.append(String.format(Locale.ROOT, "    {\"updater\": \"%s\", \"median\": %.1f, \"min\": %.1f, \"max\": %.1f, \"ratio\": %.4f}%s%n",
                    e.getKey(), med, v[0], v[v.length - 1], med / base, ++i < rates.size() ? "," : ""));
        }
        json.append("  ]\n}\n");
        AtomicFiles.writeString(out, md.toString());
        String name = out.getFileName().toString().replaceAll("\\.md$", "");
        AtomicFiles.writeString(out.resolveSibling(name + ".json"), json.toString());
        return md.toString();
    }

    private static long fit(MultiLayerNetwork net, List<DataSet> batches, int count, int[] cursor) {
        long images = 0;
        for (int b = 0; b < count; b++) {
            DataSet d = batches.get(cursor[0]++ % batches.size());
            net.fit(d);
            images += d.numExamples();
        }
        INDArray p = net.params();
        if (!Double.isFinite(p.sumNumber().doubleValue())) {
            throw new IllegalStateException("parameters diverged during the benchmark");
        }
        return images;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
