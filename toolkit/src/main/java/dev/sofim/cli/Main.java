package dev.sofim.cli;

import dev.sofim.bench.ConvProbe;
import dev.sofim.bench.StepProfile;
import dev.sofim.bench.Throughput;
import dev.sofim.bench.Workers;
import dev.sofim.models.ModelKind;
import dev.sofim.data.Dataset;
import dev.sofim.sweep.LocalRunner;
import dev.sofim.sweep.Sweep;
import dev.sofim.sweep.SweepRunner;
import dev.sofim.sweep.SweepStore;
import dev.sofim.sweep.SweepSummary;
import dev.sofim.data.DataOptions;
import dev.sofim.data.Datasets;
import dev.sofim.data.Split;
import dev.sofim.experiment.ConfigJson;
import dev.sofim.experiment.ConsoleProgress;
import dev.sofim.experiment.Experiment;
import dev.sofim.experiment.ExperimentConfig;
import dev.sofim.experiment.Metric;
import dev.sofim.experiment.OptimizerSpec;
import dev.sofim.experiment.Results;
import dev.sofim.plot.Plots;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code sofim} command line. Exit status: 0 done, 2 bad usage or config, 1 failure (missing or
 * corrupt data, I/O).
 */
public final class Main {
    static final String HELP = """
            usage: sofim <command> [options]

            commands:
              run CONFIG.json [--out DIR] [--no-plots]
                  Train every (optimizer, seed) of an experiment config; results go to DIR
                  (default results/<name>). Running again into the same DIR resumes a stopped run.
                  Environment knobs shrink a run without another config: SOFIM_EPOCHS,
                  SOFIM_TRAIN_SIZE, SOFIM_TEST_SIZE, SOFIM_SEEDS, SOFIM_BATCH_SIZE.
              plot RESULTS_DIR [--out DIR]
                  Re-draw the plots (PNG and SVG) and the summary of a results folder (with --out, all of
                  them into DIR: the results folder is only read).
              summary RESULTS_DIR [--markdown]
                  Print final metrics and time-to-target of a results folder (--markdown: as a
                  Markdown table, mean [min–max] over seeds).
              tuned TUNING_DIR [--into CONFIG.json]
                  The setting a tuning grid (a config with "evaluateOn": "validation") chose for each
                  optimizer family; with --into, CONFIG.json's optimizers are replaced by them.
              data fetch [NAME...]
                  Install datasets into the cache (offline sources first, then the official URLs);
                  names: mnist fashion-mnist cifar10 cifar100 (default: mnist fashion-mnist).
              doctor
                  Check every dataset file in the cache and the package folders against its SHA-256 (changes
                  nothing); names what is missing or corrupt and the command that repairs it. Exit 0 if healthy.
              sweep plan SWEEP.json | sweep run SWEEP.json [--out DIR] [--workers N | --master URL] | sweep summary DIR
                    | sweep tuned DIR [--into CONFIG.json]
                  A sweep: a base config and named axes (optimizer, seed, epochs, batchSize, trainSize,
                  dataset, model, or an optimizer setting such as learningRate or sofim-paper.rho), one cell per
                  point of their cross product, each with one optimizer and one seed. plan prints the cells
                  and their cost; run runs every unfinished cell into DIR (default results/<name>), one after
                  another or N at once in their own JVMs, or as Apache Spark tasks (--master local[2],
                  spark://host:7077, yarn, k8s://...), resuming interrupted cells; summary writes
                  DIR/summary.csv, a row per cell. DIR may be any Hadoop file system URI (hdfs://nn/sweeps/x,
                  s3a://bucket/x; the Spark module's plug-in): cells run staged locally and push each epoch
                  there, and summary reads a local mirror (results/mirrors/...). tuned picks, for a sweep
                  evaluated on a validation split, each optimizer's setting with the best mean final accuracy over seeds (--into: into a config's
                  optimizers, to run on the test set). Example: toolkit/examples/sweeps/mnist-lr.json.
              study plan STUDY.json | study tune|targets|run|report|all STUDY.json|DIR [--out DIR]
                    [--workers N | --master URL]
                  A study (toolkit/examples/studies/lenet.json): workloads with a budget in gradient
                  evaluations, methods with search spaces, N quasi-random tuning trials each on a validation split,
                  targets frozen from the tuned reference, paired final seeds on the test set, and a report with
                  censored statistics. plan prints runs, evaluations and a calibrated estimate of core-hours; tune,
                  targets, run and report are the phases (all: every one in turn), each resumable and run on this
                  JVM, N worker JVMs or Spark. DIR: the study folder (default results/studies/NAME). readme
                  rewrites the study-summary section of a README from the report's tables.
              bench throughput [--out FILE.md] [--train-size N] [--batch-size N] [--batches N] [--rounds N]
                    [--threads N] [--model lenet|mlp] [--compare-pytorch]
                  LeNet-5's (or the MLP's) images/s with SOFIM vs ND4J's Nesterovs and Adam, training and
                  forward-only evaluation (and with --compare-pytorch the same network in PyTorch CPU,
                  python3-torch, with SOFIM and Nesterov), rows taking turns, written to FILE.md and .json;
                  --threads N sets ND4J's and PyTorch's native threads.
              bench conv-probe [--out FILE.md] [--batch-sizes 64,128] [--rounds N] [--calls N] [--compare-pytorch]
                  LeNet-5's convolutions: libnd4j's conv2d and conv2d_bp in every layout, on oneDNN and without,
                  im2col and its matrix products, whole gradient evaluations of graph variants, and (with
                  --compare-pytorch) PyTorch's same shapes; one thread, rows taking turns (FILE.md and .json).
              bench workers STUDY.json [--workers 1,2] [--out FILE.md]
                  Cells an hour of the whole study, run from scratch once per worker count (1: in this JVM; N: N
                  worker JVMs, one ND4J thread each); every run's numbers must equal the first's byte for byte.
              bench profile [--model lenet|mlp] [--trainer dl4j|samediff] [--batches N] [--out FILE.md]
                  Where a training step goes: with the DL4J trainer, N SOFIM steps under Java Flight Recorder,
                  samples attributed to the DL4J layer and native op they were in (FILE.md and the recording
                  FILE.jfr); with the SameDiff trainer, every op execution timed, summed per op type (FILE.md).

            Config (strict JSON): name, dataset (mnist, fashion-mnist, cifar10, cifar100), model (logistic, mlp,
            lenet, resnet), epochs, batchSize, seeds [..], optimizers [{"name": .., "type": .., settings}];
            optional: dataDir, data {trainSize, validationSize, testSize, shuffleSeed, normalization UNIT or
            STANDARDIZE}, targets {trainLoss, testLoss, testAccuracy}, fullTrainLoss, evaluateOn (test or
            validation), divergenceFactor (5), trainer (samediff or dl4j), evalEvery (steps between evaluation
            points; 0: 40 over the budget), trainEvalSize (the fixed training subset of their training loss; 0: up
            to 5,000), maxGradientEvaluations (a budget ending every run; 0: none). An optimizer's schedule:
            {"type": "warmup-cosine", "warmupSteps": W, "totalSteps": T, "minFactor": F} (or cosine, step-decay,
            constant). Examples: toolkit/examples/*.json.

            Optimizer types in configs, with every setting and its default (all optional):
            %s
            adahessian, lbfgs and nystrom-sgd run in the toolkit's own training step (extra gradient
            evaluations per step, counted in the results).

            Data are looked up in: the config's dataDir, then $SOFIM_DATA_DIR (or -Dsofim.data.dir,
            default ~/.cache/sofim), then Debian/npm package folders, then the official URLs.
            """.formatted(OptimizerSpec.typesHelp("  "));

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    public Main(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        int status = new Main(System.out, System.err, System.getenv()).run(args);
        System.exit(status);
    }

    /** Runs a command and returns the exit status. */
    public int run(String... args) {
        try {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
                out.print(HELP);
                return args.length == 0 ? 2 : 0;
            }
            if (args[0].equals("--version")) {
                dev.sofim.experiment.RunInfo.versions().forEach((k, v) -> out.println(k + " " + v));
                out.println("nd4j-backend " + dev.sofim.experiment.RunInfo.nd4jBackend());
                return 0;
            }
            List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
            if (rest.contains("--help") || rest.contains("-h")) {
                out.print(commandHelp(args[0]));
                return 0;
            }
            switch (args[0]) {
                case "run" -> runExperiment(rest);
                case "plot" -> plot(rest);
                case "summary" -> summary(rest);
                case "tuned" -> tuned(rest);
                case "data" -> data(rest);
                case "bench" -> bench(rest);
                case "sweep" -> sweep(rest);
                case "study" -> study(rest);
                case "doctor" -> {
                    if (!rest.isEmpty()) {
                        throw new UsageException("unknown option '" + rest.get(0) + "' for doctor; usage: sofim doctor");
                    }
                    var findings = dev.sofim.data.DataDoctor.check(dev.sofim.data.DataHome.get());
                    out.print(dev.sofim.data.DataDoctor.report(findings));
                    return dev.sofim.data.DataDoctor.healthy(findings) ? 0 : 1;
                }
                default -> throw new UsageException("unknown command '" + args[0]
                        + "'; expected run, plot, summary, tuned, sweep, data, doctor or bench");
            }
            return 0;
        } catch (UsageException | IllegalArgumentException e) {
            err.println("sofim: error: " + e.getMessage());
            if (e instanceof UsageException) {
                err.println("run 'sofim --help' for usage");
            }
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("sofim: failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The help of one command: its paragraph of {@link #HELP} (and for {@code run}, the optimizer types); the
     * whole page for an unknown command.
     */
    static String commandHelp(String command) {
        String[] lines = HELP.split("\n");
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith("  " + command + " ")) {
                in = true;
                sb.append("usage: sofim ").append(line.strip()).append('\n');
            } else if (in && line.startsWith("      ")) {
                sb.append(line.substring(2)).append('\n');
            } else if (in) {
                break;
            }
        }
        if (sb.length() == 0) {
            return HELP;
        }
        if (command.equals("run")) {
            sb.append('\n').append(HELP, HELP.indexOf("Config (strict JSON)"), HELP.indexOf("Data are looked up"));
        }
        return sb.toString();
    }

    private void runExperiment(List<String> a) throws IOException {
        String out0 = option(a, "--out");
        boolean plots = !a.remove("--no-plots");
        ExperimentConfig config = ConfigJson.read(Path.of(single(a, "run CONFIG.json"))).withEnvironment(env);
        Path dir = out0 != null ? Path.of(out0) : Path.of("results", config.name());
        out.printf("experiment %s: %s, %s, %d epochs, batch %d, seeds %s, optimizers %s -> %s%n", config.name(),
                config.dataset(), config.model().name().toLowerCase(), config.epochs(), config.batchSize(), config.seeds(),
                config.optimizers().stream().map(o -> o.name()).toList(), dir);
        Experiment experiment = Experiment.prepare(config);
        out.printf("data: %d train images; held-out metrics on %d %s images%n", experiment.data().train().size(),
                experiment.heldOut().size(), config.evaluateOn().name().toLowerCase(java.util.Locale.ROOT));
        Results results = experiment.run(dir, new ConsoleProgress(out, System.console() != null));
        finish(results, dir, plots ? dir.resolve("plots") : null);
    }

    private void sweep(List<String> a) throws IOException {
        if (a.isEmpty()) {
            throw new UsageException("sweep needs plan, run, summary, tuned or cell; usage: " + SWEEP_USAGE);
        }
        String sub = a.remove(0);
        switch (sub) {
            case "plan" -> out.print(Sweep.read(Path.of(single(a, "sweep plan SWEEP.json"))).withEnvironment(env).plan());
            case "run" -> {
                String out0 = option(a, "--out");
                String workers0 = option(a, "--workers");
                String master = option(a, "--master");
                if (master != null && workers0 != null) {
                    throw new UsageException("give --workers (this machine) or --master (Spark), not both");
                }
                Sweep sweep = Sweep.read(Path.of(single(a, "sweep run SWEEP.json [--out DIR] [--workers N | --master URL]")))
                        .withEnvironment(env);
                int workers;
                try {
                    workers = workers0 == null ? 1 : Integer.parseInt(workers0);
                } catch (NumberFormatException e) {
                    throw new UsageException("--workers must be a whole number >= 1, got '" + workers0 + "'");
                }
                // the runner first: a bad --workers or --master is refused before the store's folder is written
                SweepRunner runner = master == null ? new LocalRunner(workers, List.of()) : sparkRunner(master);
                SweepStore store = SweepStore.at(out0 != null ? out0 : Path.of("results", sweep.name()).toString(), sweep);
                runner.run(store, out);
                writeSweepSummary(store.refreshed());
            }
            case "summary" -> writeSweepSummary(SweepStore.at(single(a, "sweep summary DIR")));
            case "tuned" -> {
                String into = option(a, "--into");
                SweepStore store = SweepStore.at(single(a, "sweep tuned DIR [--into CONFIG.json]"));
                if (store.sweep().base().evaluateOn() != ExperimentConfig.EvaluateOn.VALIDATION) {
                    throw new IllegalArgumentException(store.dir() + ": the sweep's base is evaluated on the test set; "
                            + "a tuning sweep must say \"evaluateOn\": \"validation\"");
                }
                List<OptimizerSpec> chosen = SweepSummary.tuned(store);
                if (chosen.isEmpty()) {
                    throw new IllegalArgumentException(store.dir() + ": no setting finished every epoch of every seed without diverging");
                }
                chosen.forEach(o -> out.println(o.name() + ": " + o.rule()));
                if (into != null) {
                    Path target = Path.of(into);
                    dev.sofim.data.AtomicFiles.writeString(target, ConfigJson.toJson(ConfigJson.read(target).withOptimizers(chosen)));
                    out.println("written: " + target);
                }
            }
            case "worker" -> {
                String parent = option(a, "--parent");
                String logs = option(a, "--logs");
                if (a.size() != 1 || logs == null) {
                    throw new UsageException("usage: sofim sweep worker DIR --logs DIR [--parent PID@START] (what a worker "
                            + "process runs: cells asked for on standard input, one 'cell ID' line each)");
                }
                if (parent != null) {
                    dev.sofim.sweep.ParentWatch.watch(parent);
                }
                dev.sofim.sweep.Worker.serve(a.get(0), Path.of(logs), System.in, out);
            }
            case "cell" -> {
                String parent = option(a, "--parent");
                if (a.size() != 2) {
                    throw new UsageException("usage: sofim sweep cell DIR CELL_ID [--parent PID@START] (what a worker process runs)");
                }
                if (parent != null) {
                    dev.sofim.sweep.ParentWatch.watch(parent);
                }
                SweepStore.runCell(a.get(0), a.get(1), out);
            }
            default -> throw new UsageException("unknown sweep command '" + sub + "'; usage: " + SWEEP_USAGE);
        }
    }

    private static final String STUDY_USAGE = "sofim study plan STUDY.json | study tune|targets|run|report|all "
            + "STUDY.json|DIR [--out DIR] [--workers N | --master URL] | study readme DIR --into README.md";

    /**
     * A study ({@link dev.sofim.study.Study}): a STUDY.json (its folder {@code --out DIR}, default
     * results/studies/NAME) or a study folder.
     */
    private void study(List<String> a) throws IOException {
        if (a.isEmpty()) {
            throw new UsageException("study needs plan, tune, targets, run, report or all; usage: " + STUDY_USAGE);
        }
        String sub = a.remove(0);
        String out0 = option(a, "--out");
        String workers0 = option(a, "--workers");
        String master = option(a, "--master");
        String perEval = option(a, "--seconds-per-evaluation");
        String perPoint = option(a, "--seconds-per-point");
        String into = option(a, "--into");
        if (master != null && workers0 != null) {
            throw new UsageException("give --workers (this machine) or --master (Spark), not both");
        }
        Path arg = Path.of(single(a, "study " + sub + " STUDY.json|DIR [--out DIR] [--workers N | --master URL]"));
        java.util.function.Supplier<SweepRunner> runner = () -> {
            int workers;
            try {
                workers = workers0 == null ? 1 : Integer.parseInt(workers0);
            } catch (NumberFormatException e) {
                throw new UsageException("--workers must be a whole number >= 1, got '" + workers0 + "'");
            }
            return master == null ? new LocalRunner(workers, List.of()) : sparkRunner(master);
        };
        if (sub.equals("plan")) {
            dev.sofim.study.StudySpec spec = java.nio.file.Files.isDirectory(arg)
                    ? dev.sofim.study.Study.at(arg).spec() : dev.sofim.study.StudySpec.read(arg);
            dev.sofim.study.Study s = dev.sofim.study.Study.planning(spec);
            double[] rate;
            if (perEval != null || perPoint != null) {
                rate = new double[] {positiveNumber("--seconds-per-evaluation", perEval),
                        positiveNumber("--seconds-per-point", perPoint)};
            } else {
                out.println("calibrating on " + spec.workloads().get(0).name() + " (" + dev.sofim.study.Study.CALIBRATION_STEPS
                        + " steps through the harness) ...");
                rate = s.calibrate(spec.workloads().get(0));
            }
            out.print(s.plan(rate[0], rate[1]));
            return;
        }
        dev.sofim.study.Study study;
        if (java.nio.file.Files.isDirectory(arg)) {
            if (out0 != null) {
                throw new UsageException("--out is for a STUDY.json; " + arg + " is already a study folder");
            }
            study = dev.sofim.study.Study.at(arg);
        } else {
            dev.sofim.study.StudySpec spec = dev.sofim.study.StudySpec.read(arg);
            study = dev.sofim.study.Study.open(spec, out0 != null ? Path.of(out0) : Path.of("results", "studies", spec.name()));
        }
        switch (sub) {
            case "tune" -> study.tune(runner.get(), out);
            case "targets" -> study.freezeTargets(out).forEach(t -> out.println(t.id() + " = " + t.value()));
            case "run" -> study.run(runner.get(), out);
            case "report" -> out.println("written: " + dev.sofim.study.StudyReport.write(study));
            case "readme" -> {
                if (into == null) {
                    throw new UsageException("study readme DIR --into README.md: the file whose study-summary section to "
                            + "rewrite");
                }
                dev.sofim.study.StudyReport.intoReadme(study, Path.of(into));
                out.println("written: the summary of " + study.dir() + " into " + into);
            }
            case "all" -> {
                SweepRunner r = runner.get();
                study.tune(r, out);
                study.freezeTargets(out);
                study.run(r, out);
                out.println("written: " + dev.sofim.study.StudyReport.write(study));
            }
            default -> throw new UsageException("unknown study command '" + sub + "'; usage: " + STUDY_USAGE);
        }
    }

    private static double positiveNumber(String name, String v) {
        try {
            double d = Double.parseDouble(v == null ? "" : v);
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(name + " must be a number > 0 (give both --seconds-per-evaluation and "
                + "--seconds-per-point, or neither to calibrate), got '" + v + "'");
    }

    /** The Spark runner, from the toolkit/spark module (on the class path when bin/sofim is given --master). */
    private static SweepRunner sparkRunner(String master) {
        try {
            return (SweepRunner) Class.forName("dev.sofim.spark.SparkRunner").getConstructor(String.class).newInstance(master);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--master " + master + " needs the Spark runner (module toolkit/spark) on the "
                    + "class path; toolkit/bin/sofim adds it, building the module, when --master is given");
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the Spark runner: " + e, e);
        }
    }

    private static final String SWEEP_USAGE = "sofim sweep plan SWEEP.json | sweep run SWEEP.json [--out DIR] "
            + "[--workers N | --master URL] | sweep summary DIR | sweep tuned DIR [--into CONFIG.json]";

    /**
     * summary.csv, and for a sweep with two varying axes (seeds aside) a heat map of the final held-out accuracy; for a
     * remote store, written into its local mirror and copied to the store.
     */
    private void writeSweepSummary(SweepStore store) throws IOException {
        Path file = store.dir().resolve("summary.csv");
        dev.sofim.data.AtomicFiles.writeString(file, SweepSummary.csv(store));
        out.println("summary: " + file + " (" + store.sweep().cells().size() + " cells)");
        List<String> varying = store.sweep().axes().stream().filter(x -> x.values().size() > 1 && !x.name().equals("seed"))
                .map(dev.sofim.sweep.Axis::name).toList();
        if (varying.size() == 2) {
            String x = varying.get(0);
            String y = varying.get(1);
            var chart = Plots.heatmap(store.sweep().name() + ": final " + Metric.TEST_ACCURACY.label(
                    store.sweep().base().evaluateOn()) + " (mean over seeds)", x, SweepSummary.axis(store.sweep(), x), y,
                    SweepSummary.axis(store.sweep(), y), SweepSummary.grid(store, x, y, SweepSummary.last(Metric.TEST_ACCURACY)));
            Path written = Plots.save(chart, store.dir().resolve("plots").resolve("heatmap-" + x + "-" + y));
            out.println("heat map: " + written);
        }
        if (store.remote().isPresent()) {
            store.publish();
            out.println("copied to " + store.location() + " (summary.csv" + (varying.size() == 2 ? ", plots/" : "") + ")");
        }
    }

    /** With --out, plots, summary.csv (and tuning.csv) go there and the results folder is only read. */
    private void plot(List<String> a) throws IOException {
        String out0 = option(a, "--out");
        Path dir = Path.of(single(a, "plot RESULTS_DIR [--out DIR]"));
        Results results = Results.load(dir);
        if (out0 == null) {
            finish(results, dir, dir.resolve("plots"));
        } else {
            finish(results, Path.of(out0), Path.of(out0));
        }
    }

    /** Writes summary.csv (and for a tuning grid tuning.csv) into {@code summaryDir}, prints the table, draws the plots. */
    private void finish(Results results, Path summaryDir, Path plotDir) throws IOException {
        dev.sofim.data.AtomicFiles.writeString(summaryDir.resolve("summary.csv"), results.summaryCsv());
        if (results.config().evaluateOn() == ExperimentConfig.EvaluateOn.VALIDATION) {
            dev.sofim.data.AtomicFiles.writeString(summaryDir.resolve("tuning.csv"), results.tuningCsv());
        }
        out.print(results.table());
        if (plotDir != null) {
            List<Path> written = Plots.saveAll(results, plotDir);
            out.println("plots: " + written.size() + " PNG (+ SVG) in " + plotDir);
        }
    }

    private void summary(List<String> a) throws IOException {
        boolean markdown = a.remove("--markdown");
        Results r = Results.load(Path.of(single(a, "summary RESULTS_DIR [--markdown]")));
        out.print(markdown ? r.markdown() : r.table());
    }

    private void tuned(List<String> a) throws IOException {
        String into = option(a, "--into");
        Path dir = Path.of(single(a, "tuned TUNING_DIR [--into CONFIG.json]"));
        Results tuning = Results.load(dir);
        if (tuning.config().evaluateOn() != ExperimentConfig.EvaluateOn.VALIDATION) {
            throw new IllegalArgumentException(dir + " was evaluated on the " + tuning.config().evaluateOn().name()
                    .toLowerCase(java.util.Locale.ROOT) + " set; a tuning grid must say \"evaluateOn\": \"validation\"");
        }
        List<OptimizerSpec> chosen = tuning.tuned();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no setting finished every epoch without diverging");
        }
        tuning.bestPerFamily().forEach((family, t) -> out.printf(java.util.Locale.ROOT, "%-16s %-28s val acc %.4f  %s%n",
                family, t.optimizer().name(), t.heldOutAccuracy(), t.optimizer().rule()));
        if (into != null) {
            Path target = Path.of(into);
            ExperimentConfig config = ConfigJson.read(target).withOptimizers(chosen);
            dev.sofim.data.AtomicFiles.writeString(target, ConfigJson.toJson(config));
            out.println("written: " + target);
        }
    }

    private void data(List<String> a) throws IOException {
        if (a.isEmpty() || !a.get(0).equals("fetch")) {
            throw new UsageException("expected 'data fetch [NAME...]'");
        }
        List<String> names = a.size() > 1 ? a.subList(1, a.size()) : List.of("mnist", "fashion-mnist");
        for (String n : names) {
            out.println(n + ": " + Datasets.fetch(n));
        }
    }

    private void bench(List<String> a) throws IOException {
        if (!a.isEmpty() && a.get(0).equals("workers")) {
            a.remove(0);
            Path file = Path.of(orDefault(option(a, "--out"), "benchmarks/workers.md"));
            List<Integer> counts = positives(a, "--workers", "1,2");
            Path spec = Path.of(single(a, "bench workers STUDY.json [--workers 1,2] [--out FILE.md]"));
            out.print(Workers.run(dev.sofim.study.StudySpec.read(spec), spec, counts, file, out));
            out.println("written: " + file);
            return;
        }
        if (!a.isEmpty() && a.get(0).equals("conv-probe")) {
            a.remove(0);
            Path file = Path.of(orDefault(option(a, "--out"), "benchmarks/conv-probe.md"));
            List<Integer> batchSizes = positives(a, "--batch-sizes", "64,128");
            int rounds = positive(a, "--rounds", 5);
            int calls = positive(a, "--calls", 20);
            boolean pytorch = a.remove("--compare-pytorch");
            if (!a.isEmpty()) {
                throw new UsageException("unexpected arguments " + a);
            }
            out.print(ConvProbe.run(new ConvProbe.Options(batchSizes, rounds, calls, pytorch), file, out));
            out.println("written: " + file);
            return;
        }
        if (!a.isEmpty() && a.get(0).equals("profile")) {
            a.remove(0);
            ModelKind kind = benchModel(a);
            String model = kind.name().toLowerCase(java.util.Locale.ROOT);
            String trainerName = orDefault(option(a, "--trainer"), "dl4j");
            dev.sofim.experiment.Trainer trainer;
            try {
                trainer = dev.sofim.experiment.Trainer.parse(trainerName);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + e.getMessage());
            }
            Path file = Path.of(orDefault(option(a, "--out"), "benchmarks/step-profile-"
                    + (trainer == dev.sofim.experiment.Trainer.SAMEDIFF ? "samediff-" : "") + model + ".md"));
            int steps = positive(a, "--batches", 100);
            if (!a.isEmpty()) {
                throw new UsageException("unexpected arguments " + a);
            }
            Split data = Datasets.load(Dataset.MNIST, null, new DataOptions(64 * 50, 0, 1, 0, DataOptions.Normalization.UNIT));
            out.print(switch (trainer) {
                case DL4J -> StepProfile.run(kind, data.train(), 64, steps, file, out);
                case SAMEDIFF -> StepProfile.runSameDiff(kind, data.train(), 64, steps, file, out);
            });
            out.println("written: " + file);
            return;
        }
        if (a.isEmpty() || !a.get(0).equals("throughput")) {
            throw new UsageException("expected 'bench throughput [options]', 'bench profile [options]', 'bench conv-probe [options]' or "
                    + "'bench workers STUDY.json [options]'");
        }
        a.remove(0);
        Path file = Path.of(orDefault(option(a, "--out"), "benchmarks/throughput.md"));
        int trainSize = positive(a, "--train-size", 4096);
        int batchSize = positive(a, "--batch-size", 64);
        int batches = positive(a, "--batches", 20);
        int rounds = positive(a, "--rounds", 7);
        int threads = positive(a, "--threads", 0);
        boolean pytorch = a.remove("--compare-pytorch");
        ModelKind model = benchModel(a);
        if (!a.isEmpty()) {
            throw new UsageException("unexpected arguments " + a);
        }
        Split data = Datasets.load(Dataset.MNIST, null, new DataOptions(trainSize, 0, 1, 0, DataOptions.Normalization.UNIT));
        out.print(Throughput.run(data.train(), new Throughput.Options(batchSize, batches, rounds, threads, pytorch, model),
                file, out));
        out.println("written: " + file);
    }

    private static String single(List<String> a, String usage) {
        String command = usage.split(" ")[0];
        for (String x : a) {
            if (x.startsWith("-")) {
                throw new UsageException("unknown option '" + x + "' for " + command + "; usage: sofim " + usage
                        + " (sofim " + command + " --help)");
            }
        }
        if (a.size() != 1) {
            throw new UsageException("expected 'sofim " + usage + "', got " + (a.isEmpty() ? "nothing" : a.size()
                    + " arguments " + a));
        }
        return a.get(0);
    }

    /** Removes {@code --name VALUE} from the list and returns VALUE (null if absent). */
    private static String option(List<String> a, String name) {
        int i = a.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= a.size()) {
            throw new UsageException(name + " needs a value");
        }
        String v = a.get(i + 1);
        a.remove(i + 1);
        a.remove(i);
        return v;
    }

    private static int positive(List<String> a, String name, int dflt) {
        String v = option(a, name);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i > 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " must be a whole number > 0, got '" + v + "'");
    }

    /** Removes {@code --model lenet|mlp} (default lenet): the networks the benchmarks have ({@link Throughput#MODELS}). */
    private static ModelKind benchModel(List<String> a) {
        String name = orDefault(option(a, "--model"), "lenet");
        return Throughput.MODELS.stream().filter(k -> k.name().toLowerCase(java.util.Locale.ROOT).equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("--model must be lenet or mlp, got '" + name + "'"));
    }

    /** Removes {@code --name 1,2,...} and returns its whole numbers > 0 ({@code dflt} when absent). */
    private static List<Integer> positives(List<String> a, String name, String dflt) {
        String list = orDefault(option(a, name), dflt);
        List<Integer> values = new ArrayList<>();
        for (String v : list.split(",", -1)) {
            try {
                values.add(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                values.add(0);
            }
            if (values.get(values.size() - 1) < 1) {
                throw new UsageException(name + " takes whole numbers > 0 separated by commas, got '" + list + "'");
            }
        }
        return values;
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
