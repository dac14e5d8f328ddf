package dev.sofim.plot;

import dev.sofim.experiment.EpochRecord;
import dev.sofim.experiment.ExperimentListener;
import dev.sofim.experiment.Metric;
import org.knowm.xchart.XYChart;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A live convergence plot: a listener that redraws its charts after every epoch and hands the new
 * image to a callback. In a notebook:
 * <pre>{@code
 * var live = new LivePlot("quickstart", List.of(Metric.TRAIN_LOSS, Metric.TEST_ACCURACY));
 * String id = display(live.image());
 * live.onUpdate(img -> updateDisplay(id, img));
 * experiment.run(out, live);
 * }</pre>
 */
public final class LivePlot implements ExperimentListener {
    private final String title;
    private final List<Metric> metrics;
    private final Map<String, List<EpochRecord>> records = new LinkedHashMap<>();
    private Consumer<BufferedImage> onUpdate = img -> { };

    public LivePlot(String title, List<Metric> metrics) {
        this.title = title;
        this.metrics = List.copyOf(metrics);
    }

    /** Called with the new image after every epoch. */
    public LivePlot onUpdate(Consumer<BufferedImage> callback) {
        this.onUpdate = callback;
        return this;
    }

    @Override
    public void runStarted(String optimizer, long seed, int startEpoch, int epochs, int batches) {
        records.computeIfAbsent(optimizer, k -> new ArrayList<>());
    }

    @Override
    public void epochFinished(EpochRecord r) {
        records.computeIfAbsent(r.optimizer(), k -> new ArrayList<>()).add(r);
        onUpdate.accept(image());
    }

    /** The charts as they are now. */
    public List<XYChart> charts() {
        return metrics.stream().map(m -> Plots.curves(title, records, m, false)).toList();
    }

    /** The charts side by side as one image. */
    public BufferedImage image() {
        return Plots.sideBySide(charts());
    }
}
