package dev.sofim.spark;

import dev.sofim.data.AtomicFiles;
import dev.sofim.experiment.Divergence;
import dev.sofim.experiment.EpochRecord;
import dev.sofim.experiment.Experiment;
import dev.sofim.experiment.ExperimentListener;
import dev.sofim.sweep.Cell;
import dev.sofim.sweep.RemoteStore;
import dev.sofim.sweep.Sweep;
import dev.sofim.sweep.SweepStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Sweep stores on any Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code abfs://}, {@code viewfs://}: every
 * scheme Hadoop's class path serves, {@code file://} aside). The configuration is Hadoop's own: {@code core-site.xml}
 * and {@code hdfs-site.xml} from the class path, or from {@code $HADOOP_CONF_DIR}.
 *
 * <p>A cell runs in a local staging folder: its files (its last checkpoint included) are pulled, the harness runs as
 * on a local store, and after every epoch what changed is pushed: each file under a hidden temporary name, then renamed
 * over the old one (atomic on HDFS; on object stores as atomic as they allow), checkpoints before {@code metrics.csv},
 * so the store never lists an epoch it cannot resume from; superseded checkpoints are deleted last. A task killed at
 * any point leaves a store from which the next attempt resumes at the last epoch pushed.
 */
public final class HadoopStore implements RemoteStore {
    /** Files pushed last, in this order: the records that say which epochs are finished. */
    private static final List<String> LAST = List.of("diverged.csv", "metrics.csv");

    /** Every scheme but {@code file}: one Hadoop lacks a module for is refused when the store is opened, saying so. */
    @Override
    public boolean serves(URI uri) {
        return uri.getScheme() != null && !uri.getScheme().equals("file");
    }

    /** The Hadoop file system of {@code uri}, or an error naming the module a missing scheme needs. */
    static FileSystem fs(URI uri) throws IOException {
        try {
            return FileSystem.get(uri, conf());
        } catch (org.apache.hadoop.fs.UnsupportedFileSystemException | RuntimeException e) {
            // no class configured for the scheme, or a class configured (core-default: s3a, abfs, ...) but absent
            if (e instanceof RuntimeException && !(e.getCause() instanceof ClassNotFoundException)) {
                throw (RuntimeException) e;
            }
            String module = switch (uri.getScheme()) {
                case "s3a" -> "org.apache.hadoop:hadoop-aws";
                case "abfs", "abfss", "wasb", "wasbs" -> "org.apache.hadoop:hadoop-azure";
                case "gs" -> "com.google.cloud.bigdataoss:gcs-connector";
                default -> "the Hadoop module of that file system";
            };
            throw new IllegalArgumentException(uri + ": Hadoop has no file system for '" + uri.getScheme() + "://' on "
                    + "this class path (hdfs:// is built in); add " + module + " (version matching Hadoop "
                    + org.apache.hadoop.util.VersionInfo.getVersion() + ") next to the Spark module's jars", e);
        }
    }

    @Override
    public Path mirror(URI uri, Sweep sweep) throws IOException {
        FileSystem fs = fs(uri);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(uri);
        org.apache.hadoop.fs.Path sweepFile = new org.apache.hadoop.fs.Path(root, "sweep.json");
        if (sweep != null) {
            String json = sweep.toJson();
            if (fs.exists(sweepFile)) {
                if (!read(fs, sweepFile).equals(json)) {
                    throw new IllegalArgumentException(uri + " holds another sweep (its sweep.json differs from "
                            + sweep.name() + "'s); use another --out location, or delete it to start over");
                }
            } else {
                fs.mkdirs(root);
                write(fs, uri, sweepFile, json.getBytes(StandardCharsets.UTF_8));
            }
        } else if (!fs.exists(sweepFile)) {
            throw new IllegalArgumentException(uri + " is not a sweep store: it has no sweep.json");
        }
        Path local = mirrorFolder(uri);
        Set<String> there = pull(fs, root, local, false);
        // the mirror is exact under cells/: a cell deleted from the store is not finished here either
        Path cells = local.resolve("cells");
        if (Files.isDirectory(cells)) {
            try (Stream<Path> s = Files.walk(cells)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    // dot files (a run's .lock) are this machine's, never the store's
                    if (!p.getFileName().toString().startsWith(".") && !there.contains(local.relativize(p).toString())) {
                        Files.delete(p);
                    }
                }
            }
        }
        return local;
    }

    /** The local mirror of a store: {@code <results root>/mirrors/<last path segment>-<hash of the URI>}. */
    static Path mirrorFolder(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        String name = path.isEmpty() ? uri.getScheme() : path.substring(path.lastIndexOf('/') + 1);
        return Experiment.resultsFolder("mirrors/" + name, uri.toString());
    }

    @Override
    public void runCell(URI uri, String cellId, PrintStream log, ExperimentListener... listeners) throws IOException {
        FileSystem fs = fs(uri);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(uri);
        Path stage = Files.createTempDirectory("sofim-cell-" + cellId + "-");
        try {
            Files.writeString(stage.resolve("sweep.json"), read(fs, new org.apache.hadoop.fs.Path(root, "sweep.json")));
            SweepStore store = SweepStore.of(stage);
            Cell c = store.sweep().cell(cellId);
            log.println("cell " + cellId + " " + c.coordinates() + " (staged in " + stage + ")");
            Path local = store.cellDir(c);
            org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(root, "cells/" + cellId);
            Set<String> pulled = pull(fs, remote, local, true);
            Pusher pusher = new Pusher(fs, uri, local, remote, pulled);
            ExperimentListener[] all = java.util.Arrays.copyOf(listeners, listeners.length + 1);
            all[listeners.length] = pusher;
            store.runCell(c, log, all);
            pusher.push();
        } finally {
            deleteTree(stage);
        }
    }

    @Override
    public void publish(Path mirror, URI uri) throws IOException {
        FileSystem fs = fs(uri);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(uri);
        List<Path> files = new ArrayList<>();
        if (Files.exists(mirror.resolve("summary.csv"))) {
            files.add(mirror.resolve("summary.csv"));
        }
        if (Files.isDirectory(mirror.resolve("plots"))) {
            try (Stream<Path> s = Files.walk(mirror.resolve("plots"))) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        for (Path f : files) {
            write(fs, uri, new org.apache.hadoop.fs.Path(root, mirror.relativize(f).toString()), Files.readAllBytes(f));
        }
    }

    /**
     * Pushes a staged cell's files as they change: the harness's listener calls, then once more at the end. Remembers
     * what it pushed (size and modification time) so an unchanged file is not sent again.
     */
    private static final class Pusher implements ExperimentListener {
        private final FileSystem fs;
        private final URI uri;
        private final Path local;
        private final org.apache.hadoop.fs.Path remote;
        private final Map<String, String> sent = new HashMap<>();

        Pusher(FileSystem fs, URI uri, Path local, org.apache.hadoop.fs.Path remote, Set<String> pulled) throws IOException {
            this.fs = fs;
            this.uri = uri;
            this.local = local;
            this.remote = remote;
            for (String rel : pulled) {
                sent.put(rel, stamp(local.resolve(rel)));
            }
        }

        private static String stamp(Path p) throws IOException {
            return Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
        }

        void push() throws IOException {
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(local)) {
                try (Stream<Path> s = Files.walk(local)) {
                    s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).forEach(files::add);
                }
            }
            files.sort(Comparator.comparingInt((Path p) -> LAST.indexOf(p.getFileName().toString())).thenComparing(Path::toString));
            Set<String> now = new HashSet<>();
            for (Path f : files) {
                String rel = local.relativize(f).toString();
                now.add(rel);
                String stamp = stamp(f);
                if (!stamp.equals(sent.get(rel))) {
                    write(fs, uri, new org.apache.hadoop.fs.Path(remote, rel), Files.readAllBytes(f));
                    sent.put(rel, stamp);
                }
            }
            for (String rel : new ArrayList<>(sent.keySet())) {
                if (!now.contains(rel)) {
                    fs.delete(new org.apache.hadoop.fs.Path(remote, rel), false);
                    sent.remove(rel);
                }
            }
        }

        private void pushUnchecked() {
            try {
                push();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot push " + local + " to " + remote + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void runStarted(String optimizer, long seed, int startEpoch, int epochs, int batches) {
            pushUnchecked();
        }

        @Override
        public void epochFinished(EpochRecord record) {
            pushUnchecked();
        }

        @Override
        public void runDiverged(Divergence divergence) {
            pushUnchecked();
        }

        @Override
        public void runFinished(String optimizer, long seed) {
            pushUnchecked();
        }
    }

    /**
     * Copies the files under {@code from} into {@code to} (each written atomically), skipping hidden files and, unless
     * asked, checkpoints; returns their paths relative to {@code to}. A missing {@code from} copies nothing.
     */
    private static Set<String> pull(FileSystem fs, org.apache.hadoop.fs.Path from, Path to, boolean checkpoints)
            throws IOException {
        Set<String> copied = new HashSet<>();
        if (!fs.exists(from)) {
            return copied;
        }
        String base = fs.getFileStatus(from).getPath().toUri().getPath().replaceAll("/+$", "");
        RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(from, true);
        while (it.hasNext()) {
            FileStatus st = it.next();
            String rel = st.getPath().toUri().getPath().substring(base.length() + 1);
            boolean hidden = Stream.of(rel.split("/")).anyMatch(s -> s.startsWith("."));
            boolean checkpoint = rel.equals("checkpoints") || rel.startsWith("checkpoints/") || rel.contains("/checkpoints/");
            if (hidden || (checkpoint && !checkpoints)) {
                continue;
            }
            Path target = to.resolve(rel);
            try (InputStream in = fs.open(st.getPath())) {
                AtomicFiles.write(target, in.readAllBytes());
            }
            copied.add(rel);
        }
        return copied;
    }

    private static String read(FileSystem fs, org.apache.hadoop.fs.Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes {@code bytes} to {@code target} atomically: a hidden temporary file beside it, then a rename over it
     * (Hadoop's {@code FileContext} rename with {@code OVERWRITE}, atomic on HDFS; where a file system lacks it, a
     * delete then a rename).
     */
    static void write(FileSystem fs, URI uri, org.apache.hadoop.fs.Path target, byte[] bytes) throws IOException {
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(),
                "." + target.getName() + "." + UUID.randomUUID() + AtomicFiles.TEMP_SUFFIX);
        try {
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            try {
                FileContext.getFileContext(uri, fs.getConf()).rename(tmp, target, Options.Rename.OVERWRITE);
            } catch (UnsupportedOperationException | org.apache.hadoop.fs.UnsupportedFileSystemException e) {
                fs.delete(target, false);
                if (!fs.rename(tmp, target)) {
                    throw new IOException("cannot rename " + tmp + " to " + target);
                }
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            fs.delete(tmp, false);
        }
    }

    /** Hadoop's configuration, with {@code core-site.xml} and {@code hdfs-site.xml} from {@code $HADOOP_CONF_DIR}. */
    static Configuration conf() {
        Configuration conf = new Configuration();
        String dir = System.getenv("HADOOP_CONF_DIR");
        if (dir != null && !dir.isBlank()) {
            for (String f : List.of("core-site.xml", "hdfs-site.xml")) {
                if (Files.exists(Path.of(dir, f))) {
                    conf.addResource(new org.apache.hadoop.fs.Path(Path.of(dir, f).toUri()));
                }
            }
        }
        return conf;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
