package dev.sofim.experiment;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on a console: a one-line bar per run, redrawn at most every 200 ms when the stream is a
 * terminal; otherwise (logs, CI) just one line per finished epoch.
 */
public final class ConsoleProgress implements ExperimentListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private int epochs;
    private int batches;
    private long lastDraw;
    private int resumeAt;
    private String label = "";

    private final boolean bar;

    public ConsoleProgress(PrintStream out, boolean interactive) {
        this.out = out;
        this.bar = interactive;
    }

    @Override
    public void runStarted(String optimizer, long seed, int startEpoch, int epochs, int batches) {
        this.epochs = epochs;
        this.batches = batches;
        this.label = optimizer + " seed " + seed;
        // said at the first minibatch trained: a finished run replays its epochs here and trains nothing
        this.resumeAt = startEpoch > 1 ? startEpoch : 0;
    }

    @Override
    public void iteration(String optimizer, long seed, int epoch, int batch, double loss) {
        if (resumeAt > 0) {
            out.printf(Locale.ROOT, "%s: resuming at epoch %d%n", label, resumeAt);
            resumeAt = 0;
        }
        if (!bar) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && batch < batches) {
            return;
        }
        lastDraw = now;
        int filled = (int) Math.round(WIDTH * (double) batch / Math.max(1, batches));
        out.printf(Locale.ROOT, "\r%s epoch %d/%d [%s%s] %d/%d loss %.4f", label, epoch, epochs,
                "#".repeat(filled), " ".repeat(WIDTH - filled), batch, batches, loss);
        out.flush();
    }

    @Override
    public void runDiverged(Divergence d) {
        out.printf(Locale.ROOT, "%s%s diverged in epoch %d: %s%n", bar ? "\n" : "", label, d.epoch(), d.message());
    }

    @Override
    public void epochFinished(EpochRecord r) {
        out.printf(Locale.ROOT, (bar ? "\r" : "") + "%s epoch %d/%d train loss %.4f  test loss %.4f  test acc %.4f  %.1fs (optimizer %.0f%%)%s%n",
                label, r.epoch(), epochs, r.trainLoss(), r.testLoss(), r.testAccuracy(), r.seconds(),
                100 * r.optimizerShare(), bar ? " ".repeat(10) : "");
    }
}
