package dev.sofim.sweep;

import dev.sofim.optim.FloatStep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM this one starts to run toolkit code (a sweep's worker, a benchmark's probe): the same java, class path and
 * optimizer step engine as this JVM's, and one OpenMP thread from its first native op on.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * A process builder for {@code java [--add-modules jdk.incubator.vector] JVM_ARGS -cp CLASSPATH MAIN ARGS}, with
     * {@code OMP_NUM_THREADS=1} in its environment; the caller sets its redirections.
     */
    public static ProcessBuilder builder(List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (FloatStep.vectorModule()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));   // the same step engine as here
        }
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", "1");   // one native thread, from its first op on
        return pb;
    }
}
