// A memory probe of toolkit/docs/memory.md (not a test). Run from the repository root after `mvn -B -q -pl toolkit package -DskipTests`:
//   javac -cp 'toolkit/target/sofim-toolkit.jar:toolkit/target/lib/*' -d /tmp/probes toolkit/benchmarks/memory/probes/FwdProbe.java
//   OMP_NUM_THREADS=1 java -Xmx768m -Dorg.bytedeco.javacpp.maxbytes=768m -Dsofim.residentBudget=768m --add-modules jdk.incubator.vector \
//       -cp 'toolkit/target/sofim-toolkit.jar:toolkit/target/lib/*:/tmp/probes' FwdProbe out          # forwards of 128 to 1,000 images: peak resident per size
import dev.sofim.models.*;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.nio.file.*;
import java.util.*;
public class FwdProbe {
  static long kb(String key) throws Exception { for (String l: Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith(key)) return Long.parseLong(l.replaceAll("\\D","")); return -1; }
  static void reset() throws Exception { Files.writeString(Path.of("/proc/self/clear_refs"), "5"); }
  public static void main(String[] a) throws Exception {
    SameDiff sd = SameDiffModels.build(ModelKind.RESNET, 3, 32, 32, 10, 1);
    System.out.println(sd.summary().lines().limit(3).toList());
    String in = SameDiffModels.INPUT;
    String out = sd.outputs() == null || sd.outputs().isEmpty() ? null : sd.outputs().get(0);
    System.out.println("inputs " + sd.inputs() + " outputs " + sd.outputs());
    for (int n : new int[]{128, 256, 500, 1000, 128}) {
      System.gc(); Thread.sleep(300); reset();
      long before = kb("VmRSS");
      INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, 3072);
      for (int r = 0; r < 3; r++) { Map<String,INDArray> o = sd.output(Map.of(in, x), a[0]); }
      System.out.printf("n=%d rss_before=%d MiB hwm=%d MiB%n", n, before/1024, kb("VmHWM")/1024);
    }
  }
}
