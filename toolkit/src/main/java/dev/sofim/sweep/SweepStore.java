package dev.sofim.sweep;

import dev.sofim.data.AtomicFiles;
import dev.sofim.experiment.ConsoleProgress;
import dev.sofim.experiment.Experiment;
import dev.sofim.experiment.Results;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sweep's results: {@code sweep.json} (the sweep with its base inline, as run) and one ordinary results folder per
 * cell, {@code cells/<id>/}, written with the harness's atomic writes and per-epoch resume. The folder may be any
 * path every runner sees (a local disk, NFS).
 */
public final class SweepStore {
    private final Path dir;
    private final Sweep sweep;

    private SweepStore(Path dir, Sweep sweep) {
        this.dir = dir;
        this.sweep = sweep;
    }

    /** Opens (or starts) the store of {@code sweep} in {@code dir}; a folder that holds another sweep is refused. */
    public static SweepStore open(Path dir, Sweep sweep) throws IOException {
        Path file = dir.resolve("sweep.json");
        String json = sweep.toJson();
        if (Files.exists(file)) {
            String there = Files.readString(file);
            if (!there.equals(json)) {
                throw new IllegalArgumentException(dir + " holds another sweep (its sweep.json differs from " + sweep.name()
                        + "'s); use another --out folder, or delete it to start over");
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
        return new SweepStore(dir, Sweep.parse(Files.readString(file), dir));
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

    /** Whether a cell has all its epochs, or was recorded as diverged: it is not run again. */
    public boolean finished(Cell c) throws IOException {
        return finishedResults(c).isPresent();
    }

    /** A finished cell's results (read once), or empty while it has not started or is still short of epochs. */
    public java.util.Optional<Results> finishedResults(Cell c) throws IOException {
        Results r = results(c);
        boolean done = r != null && (!r.divergences().isEmpty() || r.run(c.optimizer(), c.seed()).size() >= c.config().epochs());
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

    /** Runs one cell in this JVM (resuming from its last finished epoch); a finished cell is not touched. */
    public void runCell(Cell c, PrintStream log) throws IOException {
        if (finished(c)) {
            return;
        }
        Experiment.prepare(c.config()).run(cellDir(c), new ConsoleProgress(log, false));
    }

    /** The results of a cell, or null if it has not started. */
    public Results results(Cell c) throws IOException {
        Path d = cellDir(c);
        return Files.exists(d.resolve("config.json")) ? Results.load(d) : null;
    }
}
