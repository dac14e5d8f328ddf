package dev.sofim.bench;

import dev.sofim.data.AtomicFiles;
import dev.sofim.data.ImageSet;
import dev.sofim.experiment.Batches;
import dev.sofim.models.ModelKind;
import dev.sofim.models.Models;
import dev.sofim.optim.Sofim;
import dev.sofim.experiment.ComputeThreads;
import dev.sofim.experiment.RunInfo;
import dev.sofim.models.SameDiffModels;
import dev.sofim.optim.FloatStep;
import dev.sofim.optim.dl4j.Dl4jSofim;
import dev.sofim.optim.dl4j.SameDiffStep;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a DL4J training step spends its time: trains a model with SOFIM for some batches under a Java Flight
 * Recorder recording (JFR's {@code profile} settings, started from here, no JVM flags needed), then attributes every
 * execution and native-method sample of the training thread to the innermost DL4J layer frame on its stack, the ND4J
 * call that frame made ({@code Convolution.im2col}, {@code BaseNDArray.mmul}, ...) and the method on top of the stack
 * (usually a native op such as {@code Nd4jCpu.execCustomOp2}); writes the table as markdown, with
 * the recording next to it ({@code jfr print} reads it).
 */
public final class StepProfile {
    private StepProfile() {
    }

    /** Profiles {@code batches} SOFIM steps of {@code kind} (after as many unrecorded warm-up steps). */
    public static String run(ModelKind kind, ImageSet train, int batchSize, int batches, Path out, PrintStream log)
            throws IOException {
        Model model = Models.build(kind, train.channels(), train.height(), train.width(), train.classes(),
                new Dl4jSofim(Sofim.defaults()), 1);
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        List<DataSet> data = Batches.epoch(train, batchSize, 1, 0);
        for (int b = 0; b < batches; b++) {
            net.fit(data.get(b % data.size()));
        }
        Configuration settings;
        try {
            settings = Configuration.getConfiguration("profile");
        } catch (ParseException e) {
            throw new IOException("JFR's profile settings cannot be read: " + e.getMessage(), e);
        }
        Path jfr = out.resolveSibling(out.getFileName().toString().replaceAll("\\.md$", "") + ".jfr");
        long t0;
        long t1;
        String thread = Thread.currentThread().getName();
        try (Recording r = new Recording(settings)) {
            r.start();
            t0 = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                net.fit(data.get(b % data.size()));
            }
            t1 = System.nanoTime();
            r.stop();
            Files.createDirectories(jfr.toAbsolutePath().getParent());
            r.dump(jfr);
        }
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            if (e.getThread("sampledThread") == null || !thread.equals(e.getThread("sampledThread").getJavaName())
                    || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            String top = frames.isEmpty() ? "?" : name(frames.get(0));
            String layer = "(not under a DL4J layer: " + top + ")";
            for (int k = 0; k < frames.size(); k++) {
                String cls = frames.get(k).getMethod().getType().getName();
                if (cls.startsWith("org.deeplearning4j.nn.layers.") || cls.startsWith("org.deeplearning4j.nn.multilayer.")) {
                    // the layer, the ND4J call it made (im2col, mmul, ...), and the method on top of the stack
                    String entry = k > 1 ? name(frames.get(k - 1)) + " → " : "";
                    layer = name(frames.get(k)) + " → " + entry + top;
                    break;
                }
            }
            counts.merge(layer, 1, Integer::sum);
            total++;
        }
        double msPerStep = (t1 - t0) / 1e6 / batches;
        StringBuilder md = new StringBuilder("# Where a DL4J training step goes: " + kind.name().toLowerCase(Locale.ROOT)
                + ", SOFIM\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %s  %nDate: %s  %nLoad average (1, 5, 15 min) at the end: %s  %n"
                        + "Setup: %d parameters, batch %d, %d recorded steps (after %d unrecorded), %.1f ms a step; JFR "
                        + "`profile` settings, %d samples of the training thread (execution and native-method samples), "
                        + "each attributed to the innermost DL4J layer frame, the ND4J call it made and the method on top of the stack. "
                        + "Recording: `%s` (`jfr print --events jdk.NativeMethodSample %s`).%n%n",
                MachineInfo.machine(), LocalDate.now(), MachineInfo.loadAverage(), net.numParams(), batchSize, batches,
                batches, msPerStep, total, jfr.getFileName(), jfr.getFileName()));
        md.append("| DL4J layer → ND4J call → top of stack | share of samples |\n|---|---:|\n");
        List<Map.Entry<String, Integer>> rows = new ArrayList<>(counts.entrySet());
        rows.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        for (Map.Entry<String, Integer> row : rows) {
            if (row.getValue() * 200 < total) {
                break;   // under 0.5%
            }
            md.append(String.format(Locale.ROOT, "| %s | %.1f%% |%n", row.getKey().replace("|", "\\|"), 100.0 * row.getValue() / total));
        }
        AtomicFiles.writeString(out, md.toString());
        log.printf(Locale.ROOT, "%s: %.1f ms a step, %d samples%n", kind, msPerStep, total);
        return md.toString();
    }

    /**
     * Where a step of the toolkit's own trainer goes ({@link SameDiffStep} on {@link SameDiffModels}, ND4J pinned to
     * one thread as in experiments): {@code batches} SOFIM steps (after as many warm-up steps) with a SameDiff listener
     * timing every op execution, summed per op type; what no op accounts for is the graph session's own work in Java, the
     * gradient's gathering into one vector and the optimizer step (timed separately).
     */
    public static String runSameDiff(ModelKind kind, ImageSet train, int batchSize, int batches, Path out, PrintStream log)
            throws IOException {
        ComputeThreads.pin();
        SameDiff sd = SameDiffModels.build(kind, train.channels(), train.height(), train.width(), train.classes(), 1);
        Map<String, long[]> ops = new java.util.TreeMap<>();
        long[] started = new long[1];
        boolean[] on = new boolean[1];
        sd.addListeners(new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return true;
            }

            @Override
            public void preOpExecution(SameDiff s, At at, SameDiffOp op, OpContext context) {
                started[0] = System.nanoTime();
            }

            @Override
            public void opExecution(SameDiff s, At at, org.nd4j.linalg.dataset.api.MultiDataSet batch, SameDiffOp op,
                                    OpContext context, INDArray[] outputs) {
                if (on[0]) {
                    long[] v = ops.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
                    v[0] += System.nanoTime() - started[0];
                    v[1]++;
                }
            }
        });
        SameDiffStep step = new SameDiffStep(sd, SameDiffModels.LOSS, SameDiffModels.parameters(kind), Sofim.defaults(), 1);
        List<DataSet> data = Batches.epoch(train, batchSize, 1, 0);
        for (int b = 0; b < batches; b++) {
            DataSet d = data.get(b % data.size());
            step.step(d.getFeatures(), d.getLabels(), 0);
        }
        on[0] = true;
        double ruleBefore = step.ruleSeconds();
        long t0 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            DataSet d = data.get(b % data.size());
            step.step(d.getFeatures(), d.getLabels(), 0);
        }
        double msPerStep = (System.nanoTime() - t0) / 1e6 / batches;
        double ruleMs = (step.ruleSeconds() - ruleBefore) * 1e3 / batches;
        StringBuilder md = new StringBuilder("# Where a training step of the toolkit's own trainer goes: "
                + kind.name().toLowerCase(Locale.ROOT) + " as a SameDiff graph, SOFIM\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %s  %nDate: %s  %nLoad average (1, 5, 15 min) at the end: %s  %n"
                        + "Setup: %d parameters, batch %d, ND4J build %s on %d OpenMP thread(s), %d timed steps (after %d "
                        + "warm-up steps), %.2f ms a step; every op execution timed by a SameDiff listener, summed per op "
                        + "type.%n%n", MachineInfo.machine(), LocalDate.now(), MachineInfo.loadAverage(), step.size(), batchSize,
                RunInfo.nd4jBuild(), ComputeThreads.current(), batches, batches, msPerStep));
        md.append("| op (forward, or `_bp`: its backward) | ms a step | share of the step | executions a step |\n|---|---:|---:|---:|\n");
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(ops.entrySet());
        rows.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
        double opMs = 0;
        for (Map.Entry<String, long[]> row : rows) {
            double ms = row.getValue()[0] / 1e6 / batches;
            opMs += ms;
            md.append(String.format(Locale.ROOT, "| `%s` | %.3f | %.1f%% | %d |%n", row.getKey(), ms, 100 * ms / msPerStep,
                    row.getValue()[1] / batches));
        }
        md.append(String.format(Locale.ROOT, "| the optimizer step (`FloatStep`, engine %s) | %.3f | %.1f%% | 1 |%n",
                FloatStep.engine(), ruleMs, 100 * ruleMs / msPerStep));
        double rest = msPerStep - opMs - ruleMs;
        md.append(String.format(Locale.ROOT, "| the rest: SameDiff's session in Java, gathering the gradient, the update | %.3f | %.1f%% | |%n",
                rest, 100 * rest / msPerStep));
        AtomicFiles.writeString(out, md.toString());
        log.printf(Locale.ROOT, "%s (SameDiff): %.2f ms a step%n", kind, msPerStep);
        return md.toString();
    }

    private static String name(RecordedFrame f) {
        String cls = f.getMethod().getType().getName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }
}
