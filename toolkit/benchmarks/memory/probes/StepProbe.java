// A memory probe of toolkit/docs/memory.md (not a test). Run from the repository root after `mvn -B -q -pl toolkit package -DskipTests`:
//   javac -cp 'toolkit/target/sofim-toolkit.jar:toolkit/target/lib/*' -d /tmp/probes toolkit/benchmarks/memory/probes/StepProbe.java
//   OMP_NUM_THREADS=1 java -Xmx768m -Dorg.bytedeco.javacpp.maxbytes=768m -Dsofim.residentBudget=768m --add-modules jdk.incubator.vector \
//       -cp 'toolkit/target/sofim-toolkit.jar:toolkit/target/lib/*:/tmp/probes' StepProbe 128 [outputs|sessions]   # training steps; after each, keep the sessions, clear their outputs, or drop them
import dev.sofim.models.*;
import org.nd4j.autodiff.samediff.*;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import java.nio.file.*;
import java.util.*;
public class StepProbe {
  static long kb(String key) throws Exception { for (String l: Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith(key)) return Long.parseLong(l.replaceAll("\\D","")); return -1; }
  static void reset() throws Exception { Files.writeString(Path.of("/proc/self/clear_refs"), "5"); }
  public static void main(String[] a) throws Exception {
    SameDiff sd = SameDiffModels.build(ModelKind.RESNET, 3, 32, 32, 10, 1);
    List<String> vars = SameDiffModels.parameters(ModelKind.RESNET);
    int n = Integer.parseInt(a[0]);
    INDArray x = Nd4j.rand(DataType.FLOAT, n, 3072);
    INDArray y = Nd4j.zeros(DataType.FLOAT, n, 10); for (int i=0;i<n;i++) y.putScalar(i, i%10, 1);
    for (int r = 0; r < 6; r++) {
      System.gc(); Thread.sleep(300); reset();
      long before = kb("VmRSS");
      long t=System.nanoTime();
      Map<String,INDArray> g = sd.calculateGradients(Map.of(SameDiffModels.INPUT, x, SameDiffModels.LABEL, y), vars);
      if (a.length > 1) { for (SameDiff f : new SameDiff[]{sd, sd.getFunction("grad")}) if (f != null) { System.out.print(f.getSessions().size()+" sessions, outputs " + f.getSessions().values().stream().mapToInt(s -> s.getNodeValueOutputs().size()).sum() + "; "); if (a[1].equals("sessions")) f.getSessions().clear(); else f.getSessions().values().forEach(s -> s.getNodeValueOutputs().clear()); } }
      System.out.printf("step %d: rss_before=%d MiB hwm=%d MiB (+%d) %.0f ms%n", r, before/1024, kb("VmHWM")/1024, (kb("VmHWM")-before)/1024, (System.nanoTime()-t)/1e6);
    }
  }
}
