package dev.sofim.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs {@link StepBenchmark} and writes {@code step-benchmark.json} (JMH's own) and
 * {@code step-benchmark.md} (a table with ratios to ND4J's Nesterovs, measured in the same run) into
 * the folder given as the first argument. Knobs: system properties {@code bench.forks},
 * {@code bench.iterations}, {@code bench.sizes} and {@code bench.impls} (comma-separated subsets), {@code bench.threads}
 * (the step's Java threads; the files then end in {@code -N-thread}).
 */
public final class StepBenchmarkRunner {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "benchmarks");
        Files.createDirectories(out);
        int iterations = Integer.getInteger("bench.iterations", 5);
        String threads = System.getProperty("bench.threads", "");
        String suffix = threads.isBlank() ? "" : "-" + threads + "-thread";
        OptionsBuilder ob = new OptionsBuilder();
        ob.include(StepBenchmark.class.getSimpleName())
                .forks(Integer.getInteger("bench.forks", 1))
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                .jvmArgs(jvmArgs())
                .resultFormat(ResultFormatType.JSON).result(out.resolve("step-benchmark" + suffix + ".json").toString());
        String sizes = System.getProperty("bench.sizes");
        if (sizes != null && !sizes.isBlank()) {
            ob.param("n", sizes.split(","));
        }
        String impls = System.getProperty("bench.impls");
        if (impls != null && !impls.isBlank()) {
            ob.param("impl", impls.split(","));
        }
        Options opts = ob.build();
        String loadBefore = MachineInfo.loadAverage();
        Collection<RunResult> results = new Runner(opts).run();
        Files.writeString(out.resolve("step-benchmark" + suffix + ".md"), table(results, loadBefore + " at the start, "
                + MachineInfo.loadAverage() + " at the end", threads.isBlank() ? "default (Java: the common fork-join pool; ND4J: "
                + "OpenMP)" : threads + " Java thread, OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")));
    }

    /**
     * The forks' JVM options: the Vector API module (the fast engine's default), and with {@code -Dbench.threads=1}
     * one Java thread for the step's chunks (set {@code OMP_NUM_THREADS=1} too, for ND4J's native updaters).
     */
    static String[] jvmArgs() {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=8G",
                "--add-modules", "jdk.incubator.vector"));
        String threads = System.getProperty("bench.threads", "");
        if (!threads.isBlank()) {
            // the calling thread works too: a common pool of N - 1 workers (0: the caller alone)
            a.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + (Integer.parseInt(threads.trim()) - 1));
        }
        return a.toArray(String[]::new);
    }

    static String table(Collection<RunResult> results, String load, String threads) throws IOException {
        Map<Integer, Map<String, double[]>> byN = new TreeMap<>();
        for (RunResult r : results) {
            int n = Integer.parseInt(r.getParams().getParam("n"));
            String impl = r.getParams().getParam("impl");
            var s = r.getPrimaryResult();
            byN.computeIfAbsent(n, k -> new TreeMap<>()).put(impl, new double[] {s.getScore(), s.getScoreError()});
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Optimizer step benchmark (JMH, average time per step)\n\n");
        sb.append("Machine: ").append(MachineInfo.machine()).append("  \nDate: ").append(LocalDate.now())
                .append("  \nLoad average (1, 5, 15 min): ").append(load).append("  \nThreads: ").append(threads)
                .append("\n\n");
        sb.append("Ratios are to ND4J's native `Nesterovs` step at the same n, in the same run. ")
                .append("`core-*` run on double[] (UpdateStep); the others on FLOAT arrays: `nd4j-*` through the DL4J ")
                .append("adapter on the fast engine (the Vector API), `loops-*` on its plain-loop fallback, `copy-*` ")
                .append("on the adapter's path before the fast engine (chunks copied into double[]), `native-*` ND4J's ")
                .append("own updaters.\n\n");
        for (var e : byN.entrySet()) {
            double base = e.getValue().getOrDefault("native-nesterovs", new double[] {Double.NaN})[0];
            sb.append("## n = ").append(e.getKey()).append("\n\n| implementation | µs/step | ± | ratio to native-nesterovs |\n|---|---:|---:|---:|\n");
            for (var r : e.getValue().entrySet()) {
                sb.append(String.format("| %s | %.1f | %.1f | %.2f |%n", r.getKey(), r.getValue()[0], r.getValue()[1],
                        r.getValue()[0] / base));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
