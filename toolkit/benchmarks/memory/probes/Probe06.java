// A memory probe of toolkit/docs/memory.md (not a test). Run from the repository root after `mvn -B -q -pl toolkit package -DskipTests`:
//   javac -cp 'toolkit/target/sofim-toolkit.jar:toolkit/target/lib/*' -d /tmp/probes toolkit/benchmarks/memory/probes/Probe06.java
//   OMP_NUM_THREADS=1 java -Xmx768m -Dorg.bytedeco.javacpp.maxbytes=768m -Dsofim.residentBudget=768m --add-modules jdk.incubator.vector \
//       -cp 'toolkit/target/sofim-toolkit.jar:toolkit/target/lib/*:/tmp/probes' Probe06 CIFAR_DIR 128   # notebook 06 at its QUICK size on a CIFAR-10 folder
import dev.sofim.data.*;
import dev.sofim.experiment.*;
import dev.sofim.models.*;
import dev.sofim.optim.*;
import dev.sofim.plot.*;
import java.nio.file.*;
import java.util.*;
public class Probe06 {
  public static void main(String[] a) throws Exception {
    int batch = Integer.parseInt(a[1]);
    ExperimentConfig config = ExperimentConfig.builder("cifar10-resnet").dataset(Dataset.CIFAR10)
        .dataDir(a[0]).model(ModelKind.RESNET)
        .normalization(DataOptions.Normalization.STANDARDIZE).trainSize(1000).testSize(500)
        .epochs(1).batchSize(batch).targetAccuracy(0.3)
        .optimizer("sofim", Sofim.defaults())
        .optimizer("sgd-momentum", Sgd.momentum(0.05, 0.9))
        .optimizer("adam", Adam.defaults().withLearningRate(1e-3))
        .build();
    long t0 = System.nanoTime();
    Experiment e = Experiment.prepare(config);
    Path out = Files.createTempDirectory("p06");
    LivePlot live = new LivePlot(config.name(), List.of(Metric.TRAIN_LOSS, Metric.TEST_ACCURACY));
    Results r = e.run(out, live, new ConsoleProgress(System.out, false));
    System.out.println(r.table());
    System.out.printf("seconds=%.1f collections=%d trims=%d%n", (System.nanoTime()-t0)/1e9, NativeMemory.collections(), NativeMemory.trims());
    for (String l: Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith("VmHWM")||l.startsWith("VmRSS")) System.out.println(l);
  }
}
