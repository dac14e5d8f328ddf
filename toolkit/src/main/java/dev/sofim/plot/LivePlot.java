package dev.sofim.plot;

import dev.sofim.experiment.EpochRecord;
import dev.sofim.experiment.EvalPoint;
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
 * A live convergence plot: a listener that redraws its charts as evaluation points arrive (at most once a second, and
 * after every epoch) and hands the new image to a callback; the curves are against gradient evaluations, from the
 * points (about 40 a run), so even a two-epoch run draws a curve. Before the first point the image says it is waiting,
 * instead of showing empty axes. In a notebook:
 * <pre>{@code
 * var live = new LivePlot("quickstart", List.of(Metric.TRAIN_LOSS, Metric.TEST_ACCURACY));
 * String id = display(live.image());
 * live.onUpdate(img -> updateDisplay(id, img));
 * experiment.run(out, live);
 * }</pre>
 */
public final class LivePlot implements ExperimentListener {
    /** The shortest time between two redraws while points arrive, in milliseconds. */
    public static final long REDRAW_MILLIS = 1000;

    private final String title;
    private final List<Metric> metrics;
    private final Map<String, List<EvalPoint>> points = new LinkedHashMap<>();
    private Consumer<BufferedImage> onUpdate = img -> { };
    private long lastDraw;

    public LivePlot(String title, List<Metric> metrics) {
        this.title = title;
        this.metrics = List.copyOf(metrics);
    }

    /** Called with the new image as the curves grow. */
    public LivePlot onUpdate(Consumer<BufferedImage> callback) {
        this.onUpdate = callback;
        return this;
    }

    @Override
    public void runStarted(String optimizer, long seed, int startEpoch, int epochs, int batches) {
        points.computeIfAbsent(optimizer, k -> new ArrayList<>());
    }

    @Override
    public void pointEvaluated(EvalPoint p) {
        points.computeIfAbsent(p.optimizer(), k -> new ArrayList<>()).add(p);
        if (System.currentTimeMillis() - lastDraw >= REDRAW_MILLIS) {
            redraw();
        }
    }

    @Override
    public void epochFinished(EpochRecord r) {
        redraw();
    }

    private void redraw() {
        lastDraw = System.currentTimeMillis();
        onUpdate.accept(image());
    }

    /** The charts as they are now. */
    public List<XYChart> charts() {
        return metrics.stream().map(m -> {
            Map<String, Curves> curves = new LinkedHashMap<>();
            points.forEach((o, ps) -> curves.put(o, Curves.ofPoints(ps, m)));
            return Plots.curves(title, curves, java.util.Set.of(), m, m.label(), XAxis.GRADIENT_EVALUATIONS);
        }).toList();
    }

    /** The charts side by side as one image; before the first point, a panel that says so. */
    public BufferedImage image() {
        if (points.values().stream().allMatch(List::isEmpty)) {
            BufferedImage img = new BufferedImage(Plots.WIDTH * metrics.size(), Plots.HEIGHT / 3, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(java.awt.Color.DARK_GRAY);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(g.getFont().deriveFont(16f));
            g.drawString(title + ": training; the curves appear with the first evaluation", 20, img.getHeight() / 2);
            g.dispose();
            return img;
        }
        return Plots.sideBySide(charts());
    }
}
