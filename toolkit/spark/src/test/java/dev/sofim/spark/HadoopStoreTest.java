package dev.sofim.spark;

import dev.sofim.sweep.Cell;
import dev.sofim.sweep.LocalRunner;
import dev.sofim.sweep.Sweep;
import dev.sofim.sweep.SweepStore;
import dev.sofim.sweep.SweepSummary;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.sofim.spark.SparkRunnerTest.QUIET;
import static dev.sofim.spark.SparkRunnerTest.metrics;
import static dev.sofim.spark.SparkRunnerTest.sweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sweep stores on HDFS: a real name node and data node ({@link MiniDFSCluster}) in this JVM, the store reached only
 * through its {@code hdfs://} URI. The numbers are the local runner's, and a cell killed mid-run resumes from the last
 * epoch it pushed.
 */
class HadoopStoreTest {
    @TempDir
    static Path tmp;
    static MiniDFSCluster cluster;
    static FileSystem fs;
    static String root;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        fs = cluster.getFileSystem();
        root = "hdfs://localhost:" + cluster.getNameNodePort();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    static List<String> files(String under) throws Exception {
        List<String> out = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(new org.apache.hadoop.fs.Path(under), true);
        while (it.hasNext()) {
            out.add(it.next().getPath().toUri().getPath());
        }
        return out;
    }

    static String text(String file) throws Exception {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void sparkOnAnHdfsStoreGivesTheLocalNumbersBitForBit() throws Exception {
        Sweep s = sweep(300, 2);
        SweepStore seq = SweepStore.open(tmp.resolve("sequential"), s);
        LocalRunner.sequential().run(seq, QUIET);

        String location = root + "/sweeps/bit-for-bit";
        SweepStore remote = SweepStore.at(location, s);
        assertEquals(location, remote.location());
        new SparkRunner("local[2]").run(remote, QUIET);
        SweepStore mirror = remote.refreshed();
        assertEquals(metrics(SweepSummary.csv(seq)), metrics(SweepSummary.csv(mirror)));
        assertEquals(12, metrics(SweepSummary.csv(mirror)).size());

        List<String> there = files(location);
        assertTrue(there.contains("/sweeps/bit-for-bit/sweep.json"), there.toString());
        for (Cell c : s.cells()) {
            String cell = "/sweeps/bit-for-bit/cells/" + c.id() + "/";
            assertTrue(there.contains(cell + "metrics.csv"), cell + " has its metrics on HDFS");
            assertTrue(there.stream().anyMatch(f -> f.startsWith(cell + "checkpoints/")), cell + " keeps its last checkpoint");
            assertEquals(Files.readString(seq.cellDir(c).resolve("config.json")), text(cell + "config.json"));
        }
        assertFalse(there.stream().anyMatch(f -> f.substring(f.lastIndexOf('/') + 1).startsWith(".")),
                "no temporary file is left behind: " + there);
        try (var walk = Files.walk(mirror.dir())) {
            assertFalse(walk.anyMatch(p -> p.toString().contains("checkpoints")), "the driver's mirror holds no checkpoints");
        }

        // sofim sweep summary on the URI: written into the local mirror and copied to the store, with the heat map
        var out = new java.io.ByteArrayOutputStream();
        var print = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, new dev.sofim.cli.Main(print, print, java.util.Map.of()).run("sweep", "summary", location), out.toString());
        assertEquals(SweepSummary.csv(mirror), text("/sweeps/bit-for-bit/summary.csv"));
        assertTrue(files(location).stream().anyMatch(f -> f.startsWith("/sweeps/bit-for-bit/plots/heatmap-")), out.toString());
        assertTrue(out.toString().contains("copied to " + location), out.toString());
    }

    @Test
    void aCellKilledMidRunResumesFromTheLastEpochItPushed() throws Exception {
        Sweep s = sweep(1500, 3);
        String location = root + "/sweeps/killed";
        SweepStore.at(location, s);
        Cell c = s.cells().get(0);
        String metricsFile = "/sweeps/killed/cells/" + c.id() + "/metrics.csv";
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "@" + Path.of("java17.args").toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                "dev.sofim.cli.Main", "sweep", "cell", location, c.id());
        Path log = tmp.resolve("cell.log");
        Process worker = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String firstEpoch = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && worker.isAlive()) {
            if (fs.exists(new org.apache.hadoop.fs.Path(metricsFile))) {
                List<String> lines = text(metricsFile).lines().toList();
                if (lines.size() >= 2) {
                    firstEpoch = lines.get(1);
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertTrue(worker.isAlive(), "the cell ended before it could be killed:\n" + Files.readString(log));
        worker.destroyForcibly();   // SIGKILL, wherever the cell was
        assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
        List<String> cut = text(metricsFile).lines().toList();
        assertTrue(cut.size() - 1 < 3, "the cell was cut before its last epoch: " + cut);

        SweepStore.runCell(location, c.id(), QUIET);
        List<String> done = text(metricsFile).lines().toList();
        assertEquals(4, done.size(), "header and three epochs: " + done);
        assertEquals(firstEpoch, done.get(1), "epoch 1 was pushed before the kill and is not run again");

        SweepStore seq = SweepStore.open(tmp.resolve("killed-sequential"), s);
        seq.runCell(c, QUIET);
        SweepStore mirror = SweepStore.at(location);
        assertEquals(SweepSummary.withoutWallClock(SweepSummary.csv(seq)).get(0),
                SweepSummary.withoutWallClock(SweepSummary.csv(mirror)).get(0),
                "killed and resumed on HDFS, the numbers of an uninterrupted local run");
    }

    @Test
    void anotherSweepAtTheSameUriAndAMissingStoreAreRefused() throws Exception {
        String location = root + "/sweeps/taken";
        SweepStore.at(location, sweep(300, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> SweepStore.at(location, sweep(300, 3)));
        assertTrue(e.getMessage().contains(location) && e.getMessage().contains("another sweep"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> SweepStore.at(root + "/sweeps/nothing"));
        assertTrue(missing.getMessage().contains("no sweep.json"), missing.getMessage());
    }

    @Test
    void servesEverySchemeButFileAndNamesTheModuleAMissingOneNeeds() throws Exception {
        assertTrue(new HadoopStore().serves(URI.create(root + "/x")));
        assertFalse(new HadoopStore().serves(URI.create("file:///tmp/x")));
        // a scheme Hadoop has no module for here is refused when opened, naming what to add
        var e = assertThrows(IllegalArgumentException.class, () -> SweepStore.at("s3a://bucket/sweeps/x", sweep(300, 2)));
        assertTrue(e.getMessage().contains("s3a://bucket/sweeps/x") && e.getMessage().contains("hadoop-aws"), e.getMessage());
    }
}
