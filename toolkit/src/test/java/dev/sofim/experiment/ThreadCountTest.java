package dev.sofim.experiment;

import dev.sofim.data.Split;
import dev.sofim.models.ModelKind;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.testdata.MnistSubset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same config gives the same numbers whatever the number of native threads the JVM starts with: a LeNet-5
 * experiment on both trainers, run in JVMs started with OMP_NUM_THREADS=1 and =2, writes identical metrics and minibatch
 * losses ({@link ComputeThreads} pins ND4J to one thread; without it the two differ).
 */
class ThreadCountTest {

    /** Runs the experiment of {@link #config} into {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Split data = new Split(MnistSubset.train().head(256), null, MnistSubset.test().head(128), Map.of("x", "y"));
        for (Trainer t : Trainer.values()) {
            Experiment.of(config(t), data).run(Path.of(args[0]).resolve(t.id()));
        }
        System.out.println("omp threads after the run: " + ComputeThreads.current());
    }

    static ExperimentConfig config(Trainer trainer) {
        return ExperimentConfig.builder("threads").model(ModelKind.LENET).epochs(2).batchSize(32).trainSize(256)
                .testSize(128).optimizer("sofim", Sofim.defaults().withLearningRate(1))
                .optimizer("sgd", Sgd.momentum(0.05, 0.9)).trainer(trainer).build();
    }

    @Test
    void oneAndTwoThreadsGiveTheSameNumbers(@TempDir Path tmp) throws Exception {
        List<String> outputs = new ArrayList<>();
        for (String threads : List.of("1", "2")) {
            Path out = tmp.resolve("omp" + threads);
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ThreadCountTest.class.getName(), out.toString())
                    .redirectErrorStream(true);
            pb.environment().put("OMP_NUM_THREADS", threads);
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the run with OMP_NUM_THREADS=" + threads + " timed out");
            assertEquals(0, p.exitValue(), log);
            assertTrue(log.contains("omp threads after the run: 1"), log);
            StringBuilder numbers = new StringBuilder();
            for (Trainer t : Trainer.values()) {
                Path dir = out.resolve(t.id());
                numbers.append(Files.readString(dir.resolve("metrics.csv")));
                for (String o : List.of("sofim", "sgd")) {
                    numbers.append(Files.readString(dir.resolve("iterations").resolve(o + "-seed1.csv")));
                }
            }
            outputs.add(numbers.toString());
        }
        assertEquals(outputs.get(0), outputs.get(1), "OMP_NUM_THREADS=1 and =2");
    }

    /** OpenMP counts threads per calling thread: a pin on one thread must be repeated, and is, on another. */
    @Test
    void aPinAppliesToTheThreadThatCallsIt() throws Exception {
        ComputeThreads.pin();
        assertEquals(1, ComputeThreads.current());
        int[] seen = new int[1];
        Thread t = new Thread(() -> {
            ComputeThreads.set(2);   // as a fresh thread may start (OpenMP's default, one per core)
            ComputeThreads.pin();
            seen[0] = ComputeThreads.current();
        });
        t.start();
        t.join();
        assertEquals(1, seen[0], "a new thread's pin");
    }

    /**
     * A notebook's next cell may run on a new thread (IJava drops its idle executor threads after 60 s) whose OpenMP
     * count is OpenMP's default, one per core: a run on such a thread gives the numbers of a run on a pinned thread,
     * because every run pins the thread it trains on.
     */
    @Test
    void aRunOnAFreshThreadGivesTheNumbersOfThePinnedOne(@TempDir Path tmp) throws Exception {
        Split data = new Split(MnistSubset.train().head(256), null, MnistSubset.test().head(128), Map.of("x", "y"));
        ExperimentConfig config = config(Trainer.SAMEDIFF).only(List.of("sofim"), List.of(1L));
        List<String> numbers = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            Path out = tmp.resolve("cell-thread-omp" + threads);
            Throwable[] failure = new Throwable[1];
            int[] during = new int[1];
            Thread cell = new Thread(() -> {
                try {
                    ComputeThreads.set(threads); // the OpenMP count this thread starts with
                    Experiment.of(config, data).run(out);
                    during[0] = ComputeThreads.current();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }, "cell-" + threads);
            cell.start();
            cell.join();
            if (failure[0] != null) {
                throw new AssertionError("the run on a thread starting with " + threads + " OpenMP threads failed", failure[0]);
            }
            assertEquals(1, during[0], "the run pinned its thread");
            numbers.add(Files.readString(out.resolve("metrics.csv")) + Files.readString(out.resolve("iterations/sofim-seed1.csv")));
        }
        assertEquals(numbers.get(0), numbers.get(1), "a run on a thread that started with 2 OpenMP threads");
    }
}
