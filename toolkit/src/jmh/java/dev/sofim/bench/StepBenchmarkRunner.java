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
 * {@code bench.iterations}, {@code bench.sizes} and {@code bench.impls} (comma-separated subsets).
 */
public final class StepBenchmarkRunner {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "benchmarks");
        Files.createDirectories(out);
        int iterations = Integer.getInteger("bench.iterations", 5);
        OptionsBuilder ob = new OptionsBuilder();
        ob.include(StepBenchmark.class.getSimpleName())
                .forks(Integer.getInteger("bench.forks", 1))
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=8G")
                .resultFormat(ResultFormatType.JSON).result(out.resolve("step-benchmark.json").toString());
        String sizes = System.getProperty("bench.sizes");
        if (sizes != null && !sizes.isBlank()) {
            ob.param("n", sizes.split(","));
        }
        String impls = System.getProperty("bench.impls");
        if (impls != null && !impls.isBlank()) {
            ob.param("impl", impls.split(","));
        }
        Options opts = ob.build();
        String loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(opts).run();
        Files.writeString(out.resolve("step-benchmark.md"), table(results, loadBefore + " at the start, "
                + loadAverage() + " at the end"));
    }

    /** The 1, 5 and 15 minute load averages, from /proc/loadavg. */
    static String loadAverage() throws IOException {
        Path p = Path.of("/proc/loadavg");
        if (!Files.exists(p)) {
            return "unknown";
        }
        String[] f = Files.readString(p).trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    static String table(Collection<RunResult> results, String load) throws IOException {
        Map<Integer, Map<String, double[]>> byN = new TreeMap<>();
        for (RunResult r : results) {
            int n = Integer.parseInt(r.getParams().getParam("n"));
            String impl = r.getParams().getParam("impl");
            var s = r.getPrimaryResult();
            byN.computeIfAbsent(n, k -> new TreeMap<>()).put(impl, new double[] {s.getScore(), s.getScoreError()});
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Optimizer step benchmark (JMH, average time per step)\n\n");
        sb.append("Machine: ").append(machine()).append("  \nDate: ").append(LocalDate.now())
                .append("  \nLoad average (1, 5, 15 min): ").append(load).append("\n\n");
        sb.append("Ratios are to ND4J's native `Nesterovs` step at the same n, in the same run. ")
                .append("`core-*` run on double[], `nd4j-*` and `native-*` on FLOAT arrays.\n\n");
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

    static String machine() throws IOException {
        String cpu = "unknown CPU";
        Path info = Path.of("/proc/cpuinfo");
        if (Files.exists(info)) {
            cpu = Files.readAllLines(info).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }
}
