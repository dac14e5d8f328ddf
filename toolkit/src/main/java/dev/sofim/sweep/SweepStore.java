package dev.sofim.sweep;

import dev.sofim.data.AtomicFiles;
import dev.sofim.experiment.ConsoleProgress;
import dev.sofim.experiment.Experiment;
import dev.sofim.experiment.ExperimentListener;
import dev.sofim.experiment.Results;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep's results: {@code sweep.json} (the sweep with its base inline, as run) and one ordinary results folder per
 * cell, {@code cells/<id>/}, written with the harness's atomic writes and per-epoch resume. The folder may be any
 * path every runner sees (a local disk, NFS), or a URI of a file system served by a {@link RemoteStore} plug-in
 * ({@code hdfs://…}, {@code s3a://…}): the store then reads a local mirror and runs cells through the plug-in.
 */
public final class SweepStore {
    private final Path dir;
    private final Sweep sweep;
    private final URI remote;

    private SweepStore(Path dir, Sweep sweep, URI remote) {
        this.dir = dir;
        this.sweep = sweep;
        this.remote = remote;
    }

    private SweepStore(Path dir, Sweep sweep) {
        this(dir, sweep, null);
    }

    /**
     * Opens (or starts) the store of {@code sweep} at {@code location}: a local folder, or a remote store's URI (see
     * {@link RemoteStore#isRemote}).
     */
    public static SweepStore at(String location, Sweep sweep) throws IOException {
        if (!RemoteStore.isRemote(location)) {
            return open(Path.of(location), sweep);
        }
        URI uri = URI.create(location);
        return new SweepStore(RemoteStore.serving(uri).mirror(uri, sweep), sweep, uri);
    }

    /** The existing store at {@code location} (a local folder or a remote store's URI), with its sweep. */
    public static SweepStore at(String location) throws IOException {
        if (!RemoteStore.isRemote(location)) {
            return of(Path.of(location));
        }
        URI uri = URI.create(location);
        Path mirror = RemoteStore.serving(uri).mirror(uri, null);
        return new SweepStore(mirror, Sweep.parse(Files.readString(mirror.resolve("sweep.json")), mirror), uri);
    }

    /** Where the store lives, as {@link #at(String)} takes it: the remote URI, or the absolute local folder. */
    public String location() {
        return remote != null ? remote.toString() : dir.toAbsolutePath().toString();
    }

    /** The remote store's URI, when {@link #dir()} is its local mirror. */
    public java.util.Optional<URI> remote() {
        return java.util.Optional.ofNullable(remote);
    }

    /** The store as it is now: a remote store's mirror pulled again (after cells ran elsewhere); a local store itself. */
    public SweepStore refreshed() throws IOException {
        return remote == null ? this : new SweepStore(RemoteStore.serving(remote).mirror(remote, sweep), sweep, remote);
    }

    /** Copies what was written into a remote store's mirror at its top level (summary, plots) to the store. */
    public void publish() throws IOException {
        if (remote != null) {
            RemoteStore.serving(remote).publish(dir, remote);
        }
    }

    /** Opens (or starts) the store of {@code sweep} in {@code dir}; a folder that holds another sweep is refused. */
    public static SweepStore open(Path dir, Sweep sweep) throws IOException {
        Path file = dir.resolve("sweep.json");
        String json = sweep.toJson();
        if (Files.exists(file)) {
            String there = Files.readString(file);
            if (!there.equals(json)) {
                String damage = null;
                try {
                    Sweep.parse(there, dir);
                } catch (IllegalArgumentException | IOException e) {
                    damage = e.getMessage();
                }
                if (damage == null) {
                    throw new IllegalArgumentException(dir + " holds another sweep (its sweep.json differs from " + sweep.name()
                            + "'s); use another --out folder, or delete it to start over");
                }
                // a damaged sweep.json (a truncated write of an older toolkit, an editor): the cells say whose store it is
                java.util.Set<String> mine = new java.util.HashSet<>(sweep.cells().stream().map(Cell::id).toList());
                List<String> foreign = new ArrayList<>();
                Path cells = dir.resolve("cells");
                if (Files.isDirectory(cells)) {
                    try (var s = Files.list(cells)) {
                        s.map(p -> p.getFileName().toString()).filter(n -> !mine.contains(n)).sorted().forEach(foreign::add);
                    }
                }
                if (!foreign.isEmpty()) {
                    throw new IllegalArgumentException(file + " is damaged (" + damage + ") and " + cells + " holds cells "
                            + "that are not " + sweep.name() + "'s " + foreign.subList(0, Math.min(3, foreign.size()))
                            + "; restore that sweep's sweep.json, or use another --out folder");
                }
                System.getLogger("dev.sofim.sweep").log(System.Logger.Level.WARNING, file + " was damaged (" + damage
                        + "); every cell in " + cells + " is " + sweep.name() + "'s, so it is written again and no cell is lost");
                AtomicFiles.writeString(file, json);
            }
        } else {
            Files.createDirectories(dir);
            AtomicFiles.writeString(file, json);
        }
        return new SweepStore(dir, sweep);
    }

    /**
     * The store of {@code sweep} in the results root ({@code $SOFIM_RESULTS_DIR} or {@code results}), in a folder named
     * after the sweep and a hash of it, as {@link Experiment#resultsFolder} names an experiment's.
     */
    public static SweepStore open(Sweep sweep) throws IOException {
        return open(Experiment.resultsFolder(sweep.name(), sweep.toJson()), sweep);
    }

    /** The store in {@code dir}, with the sweep it was started with. */
    public static SweepStore of(Path dir) throws IOException {
        Path file = dir.resolve("sweep.json");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(dir + " is not a sweep folder: it has no sweep.json");
        }
        try {
            return new SweepStore(dir, Sweep.parse(Files.readString(file), dir));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is damaged (" + e.getMessage() + "); its cells are kept: run the "
                    + "sweep again from its file (sofim sweep run SWEEP.json --out " + dir + ") to write it again", e);
        }
    }

    public Sweep sweep() {
        return sweep;
    }

    public Path dir() {
        return dir;
    }

    public Path cellDir(Cell c) {
        return dir.resolve("cells").resolve(c.id());
    }

    /** Whether a cell has all its epochs or spent its budget, or was recorded as diverged: it is not run again. */
    public boolean finished(Cell c) throws IOException {
        return finishedResults(c).isPresent();
    }

    /** A finished cell's results (read once), or empty while it has not started or is still short of epochs. */
    public java.util.Optional<Results> finishedResults(Cell c) throws IOException {
        Results r = results(c);
        boolean done = r != null && r.finished(c.optimizer(), c.seed());
        return done ? java.util.Optional.of(r) : java.util.Optional.empty();
    }

    /** The cells still to run (not finished, not diverged), in the sweep's order. */
    public java.util.List<Cell> unfinished() throws IOException {
        java.util.List<Cell> todo = new java.util.ArrayList<>();
        for (Cell c : sweep.cells()) {
            if (!finished(c)) {
                todo.add(c);
            }
        }
        return todo;
    }

    /**
     * Runs one cell in this JVM (resuming from its last finished epoch); a finished cell is not touched. A remote
     * store's cell runs through its plug-in, which stages it locally.
     */
    public void runCell(Cell c, PrintStream log, ExperimentListener... listeners) throws IOException {
        if (remote != null) {
            RemoteStore.serving(remote).runCell(remote, c.id(), log, listeners);
            return;
        }
        if (finished(c)) {
            return;
        }
        ExperimentListener[] all = java.util.Arrays.copyOf(listeners, listeners.length + 1);
        all[listeners.length] = new ConsoleProgress(log, false);
        Experiment.prepare(c.config()).run(cellDir(c), all);
    }

    /**
     * What a worker runs (a worker process, a Spark task): one cell of the store at {@code location}, read afresh. A
     * remote store's cell goes straight to its plug-in, without mirroring the whole store.
     */
    public static void runCell(String location, String cellId, PrintStream log) throws IOException {
        if (RemoteStore.isRemote(location)) {
            URI uri = URI.create(location);
            RemoteStore.serving(uri).runCell(uri, cellId, log);
        } else {
            SweepStore store = of(Path.of(location));
            Cell c = store.sweep().cell(cellId);
            log.println("cell " + cellId + " " + c.coordinates());
            store.runCell(c, log);
        }
    }

    /** The results of a cell, or null if it has not started. */
    public Results results(Cell c) throws IOException {
        Path d = cellDir(c);
        return Files.exists(d.resolve("config.json")) ? Results.load(d) : null;
    }
}
