package dev.sofim.spark;

import dev.sofim.sweep.Cell;
import dev.sofim.sweep.SweepRunner;
import dev.sofim.sweep.SweepStore;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * A sweep on Apache Spark: each unfinished cell one Spark task, which opens the sweep's store (a folder every
 * executor sees: a local path in {@code local[N]}, NFS or another shared mount on a cluster; or any Hadoop file
 * system URI, {@code hdfs://…}, {@code s3a://…}, through {@link HadoopStore}) and runs the cell with the same code as
 * the local runner, so its numbers do not depend on the runner. A failed task is
 * retried by Spark and resumes from the cell's last finished epoch; finished cells are never re-run, also after the
 * driver itself was killed and the same sweep started again.
 *
 * @param master a Spark master URL: {@code local[2]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://…}
 */
public record SparkRunner(String master) implements SweepRunner {
    /** Attempts per task, as Spark counts them; in local mode written into the master URL ({@code local[N,F]}). */
    public static final int TASK_ATTEMPTS = 4;

    public SparkRunner {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("a Spark master URL is needed (local[2], spark://host:7077, yarn, k8s://...)");
        }
        // checked here, before a store is written: Spark itself would fail later, with its own exception
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local(\\[(\\d+|\\*)(,(\\d+))?])?").matcher(master);
        if (local.matches()) {
            if ((local.group(2) != null && !local.group(2).equals("*") && Integer.parseInt(local.group(2)) < 1)
                    || (local.group(4) != null && Integer.parseInt(local.group(4)) < 1)) {
                throw new IllegalArgumentException("Spark master '" + master + "': local[N] and local[N,F] need N >= 1 "
                        + "threads and F >= 1 attempts");
            }
        } else if (!(master.equals("yarn") || master.matches("spark://[^/\\s]+(:\\d+)?(,[^/\\s]+(:\\d+)?)*")
                || master.matches("(k8s|mesos)://\\S+"))) {
            throw new IllegalArgumentException("'" + master + "' is not a Spark master URL; expected local, local[N], "
                    + "local[*], spark://HOST:PORT, yarn, k8s://URL or mesos://URL");
        }
    }

    /** The master URL Spark is given: {@code local[N]} gains retries, which Spark's local mode has none of by default. */
    String effectiveMaster() {
        if (master.matches("local\\[(\\d+|\\*)]")) {
            return master.substring(0, master.length() - 1) + "," + TASK_ATTEMPTS + "]";
        }
        return master.equals("local") ? "local[1," + TASK_ATTEMPTS + "]" : master;
    }

    @Override
    public void runCells(SweepStore store, PrintStream log) throws IOException {
        List<String> todo = store.unfinished().stream().map(Cell::id).toList();
        log.printf("sweep %s: %d cells, %d to run, Spark master %s%n", store.sweep().name(), store.sweep().cells().size(),
                todo.size(), master);
        if (todo.isEmpty()) {
            return;
        }
        SparkConf conf = new SparkConf().setAppName("sofim sweep " + store.sweep().name()).setMaster(effectiveMaster())
                .set("spark.ui.enabled", "false")
                .set("spark.task.maxFailures", String.valueOf(TASK_ATTEMPTS));
        if (!master.startsWith("local")) {
            // executors on other machines need the toolkit and its libraries
            // and the Vector API module for the optimizer's fast step engine (executors without it run plain loops)
            conf.set("spark.executor.extraJavaOptions", (conf.get("spark.executor.extraJavaOptions", "")
                    + " --add-modules jdk.incubator.vector").trim());
            conf.setJars(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(p -> p.endsWith(".jar")).toArray(String[]::new));
        }
        String location = store.location();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            sc.parallelize(todo, todo.size()).foreach(id -> SweepStore.runCell(location, id, System.out));
        }
        log.printf("sweep %s: every cell finished%n", store.sweep().name());
    }
}
