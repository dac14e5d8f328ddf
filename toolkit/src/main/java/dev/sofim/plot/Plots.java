package dev.sofim.plot;

import dev.sofim.data.AtomicFiles;
import dev.sofim.experiment.EpochRecord;
import dev.sofim.experiment.Metric;
import dev.sofim.experiment.Results;
import dev.sofim.experiment.TimeToTarget;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * XChart plots of experiment results: a metric against epochs or wall time, one curve per optimizer
 * (mean over seeds, with a min–max band when there are several seeds), and time-to-target bars.
 * Charts are returned for notebooks and saved as PNG and SVG (atomically).
 */
public final class Plots {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 420;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    private Plots() {
    }

    /** The colour of the i-th optimizer, the same in every chart. */
    public static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** A metric against epochs ({@code vsTime} false) or mean training seconds, one curve per optimizer. */
    public static XYChart curves(Results results, Metric metric, boolean vsTime) {
        return curves(results, metric, vsTime ? XAxis.SECONDS : XAxis.EPOCH);
    }

    /**
     * A metric against epochs, mean training seconds or mean gradient evaluations, one curve per optimizer: against
     * seconds or evaluations from the runs' evaluation points (about 40 a run) where the folder has them, else (and
     * against epochs) from the per-epoch records. A diverged
     * run says so in the legend and does not set the axis: a loss axis ends at the highest value of the runs that did
     * not diverge, the diverged curve leaving it at the top.
     */
    public static XYChart curves(Results results, Metric metric, XAxis axis) {
        Map<String, Curves> byOptimizer = new java.util.LinkedHashMap<>();
        java.util.Set<String> diverged = new java.util.HashSet<>();
        for (String o : results.optimizers()) {
            String stops = results.divergences().stream().filter(d -> d.optimizer().equals(o))
                    .map(d -> "seed " + d.seed() + " epoch " + d.epoch()).collect(java.util.stream.Collectors.joining(", "));
            String key = stops.isEmpty() ? o : o + " [diverged: " + stops + "]";
            if (!stops.isEmpty()) {
                diverged.add(key);
            }
            List<dev.sofim.experiment.EvalPoint> points = results.points().stream().filter(p -> p.optimizer().equals(o)).toList();
            // points carry whole epochs only: against epochs, the per-epoch records
            byOptimizer.put(key, points.isEmpty() || axis == XAxis.EPOCH ? Curves.of(results.records().stream().filter(r -> r.optimizer().equals(o)).toList(), metric)
                    : Curves.ofPoints(points, metric));
        }
        return curves(results.config().name(), byOptimizer, diverged, metric, metric.label(results.config().evaluateOn()), axis);
    }

    /** The same from records grouped by optimizer (used by live plots). */
    public static XYChart curves(String title, Map<String, ? extends Collection<EpochRecord>> byOptimizer, Metric metric,
                                 boolean vsTime) {
        Map<String, Curves> curves = new java.util.LinkedHashMap<>();
        byOptimizer.forEach((o, rs) -> curves.put(o, Curves.of(rs, metric)));
        return curves(title, curves, java.util.Set.of(), metric, metric.label(), vsTime ? XAxis.SECONDS : XAxis.EPOCH);
    }

    /** Curves already summarised over seeds, one per optimizer (live plots: from evaluation points as they arrive). */
    public static XYChart curves(String title, Map<String, Curves> byOptimizer, java.util.Set<String> diverged, Metric metric,
                                 String label, XAxis axis) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + ": " + label)
                .xAxisTitle(axis.title()).yAxisTitle(label).build();
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS); // below the plot, never over a curve
        s.setLegendBorderColor(Color.WHITE);
        s.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(4);
        // XChart otherwise labels a short series' ticks with every digit of its values.
        chart.getStyler().setYAxisDecimalPattern("0.####");
        chart.getStyler().setXAxisDecimalPattern(axis.decimalPattern());
        chart.getStyler().setXAxisMaxLabelCount(8);
        // the runs that did not diverge set the axis: their highest and lowest positive values
        double top = Double.NEGATIVE_INFINITY;
        double bottom = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Curves> e : byOptimizer.entrySet()) {
            if (!diverged.contains(e.getKey())) {
                for (int k = 0; k < e.getValue().size(); k++) {
                    if (Double.isFinite(e.getValue().max()[k])) {
                        top = Math.max(top, e.getValue().max()[k]);
                    }
                    if (e.getValue().min()[k] > 0 && Double.isFinite(e.getValue().min()[k])) {
                        bottom = Math.min(bottom, e.getValue().min()[k]);
                    }
                }
            }
        }
        // a log axis cannot draw zero or negative values (a diverged run's NaN is drawn at the top)
        boolean positive = byOptimizer.values().stream().allMatch(c -> java.util.Arrays.stream(c.min()).allMatch(v -> !(v <= 0)));
        if (metric != Metric.TEST_ACCURACY && positive && Double.isFinite(top) && top / bottom > LOG_SPAN) {
            // one unstable run's spikes would flatten the others on a linear axis; a log axis shows them all
            chart.getStyler().setYAxisLogarithmic(true);
            // under two decades, decade labels alone leave one number on the axis (03's losses, 0.25 to 3: only "1")
            chart.getStyler().setYAxisLogarithmicDecadeOnly(top / bottom >= LABELLED_DECADES_SPAN);
            chart.getStyler().setYAxisMax(top * 1.2);
        } else if (metric != Metric.TEST_ACCURACY && !diverged.isEmpty() && Double.isFinite(top)) {
            chart.getStyler().setYAxisMax(top * 1.05);
            chart.getStyler().setYAxisMin(0.0);
        }
        int i = 0;
        for (Map.Entry<String, Curves> e : byOptimizer.entrySet()) {
            Color c = color(i++);
            Curves cv = e.getValue();
            if (cv.size() == 0) {
                continue;
            }
            double[] x = cv.x(axis);
            double[] mean = clip(cv.mean(), chart.getStyler().getYAxisMax());
            if (cv.seeds() > 1 && cv.size() > 1) {
                double[] px = new double[2 * cv.size()];
                double[] py = new double[2 * cv.size()];
                double[] hi = clip(cv.max(), chart.getStyler().getYAxisMax());
                double[] lo = clip(cv.min(), chart.getStyler().getYAxisMax());
                for (int k = 0; k < cv.size(); k++) {
                    px[k] = x[k];
                    py[k] = hi[k];
                    px[2 * cv.size() - 1 - k] = x[k];
                    py[2 * cv.size() - 1 - k] = lo[k];
                }
                XYSeries band = chart.addSeries(e.getKey() + " (min-max)", px, py);
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 50));
                band.setLineColor(new Color(0, 0, 0, 0));
                band.setMarker(SeriesMarkers.NONE);
                band.setShowInLegend(false);
            }
            XYSeries line = chart.addSeries(e.getKey() + (cv.seeds() > 1 ? " (mean of " + cv.seeds() + ")" : ""), x, mean);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setLineColor(c);
            line.setMarkerColor(c);
            line.setMarker(cv.size() > 12 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** A loss axis turns logarithmic when the curves it shows span more than this factor. */
    public static final double LOG_SPAN = 10;
    /** A log axis spanning less than this factor labels its 2–9 multiples too, not only its decades. */
    public static final double LABELLED_DECADES_SPAN = 100;

    /** Values above the axis's top (a diverged run's) drawn at the top, where the legend names the run. */
    private static double[] clip(double[] v, Double top) {
        if (top == null) {
            return v;
        }
        double[] c = v.clone();
        for (int k = 0; k < c.length; k++) {
            if (!(c[k] <= top)) {
                c[k] = top;
            }
        }
        return c;
    }

    /**
     * A {@link dev.sofim.analysis.SoftmaxRace}: training loss against optimizer steps, or against gradient
     * evaluations (the cost that counts a Newton-type method's extra evaluations), one curve per optimizer.
     */
    public static XYChart race(Map<String, dev.sofim.analysis.SoftmaxRace.Run> runs, boolean vsEvaluations) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("softmax regression: training loss")
                .xAxisTitle(vsEvaluations ? XAxis.GRADIENT_EVALUATIONS.title() : "optimizer step").yAxisTitle("training loss")
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendBorderColor(Color.WHITE);
        chart.getStyler().setXAxisTickMarkSpacingHint(110); // whole steps: XChart would label every 15th, unreadably
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisLogarithmic(true); // early spikes (AdaHessian's first steps) would flatten the rest
        chart.getStyler().setYAxisDecimalPattern("0.###");
        chart.getStyler().setXAxisDecimalPattern("0");
        int i = 0;
        for (var r : runs.values()) {
            double[] x = new double[r.trainLoss().length];
            for (int t = 0; t < x.length; t++) {
                x[t] = vsEvaluations ? r.evaluations()[t] : t + 1;
            }
            if (!java.util.Arrays.stream(r.trainLoss()).allMatch(v -> v > 0 && Double.isFinite(v))) {
                continue; // a diverged run has no place on a log axis; the table reports it
            }
            XYSeries line = chart.addSeries(r.optimizer(), x, r.trainLoss());
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setLineColor(color(i++));
            line.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /**
     * Mean training seconds to a target per optimizer, each bar in the optimizer's curve colour, with the fastest and
     * slowest seed as markers (the spread over seeds); optimizers that never reach it, or diverged, are labelled so,
     * and a chart where no run reached the target says so across its plot area.
     */
    public static CategoryChart timeToTarget(Results results, Metric metric) {
        List<TimeToTarget> rows = results.timeToTarget().stream().filter(t -> t.metric() == metric).toList();
        Double target = metric.target(results.config().targets());
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(target == null ? results.config().name() + ": no " + metric.label(results.config().evaluateOn())
                        + " target set" : String.format(Locale.ROOT, "%s: time to %s %s %s", results.config().name(),
                        metric.label(results.config().evaluateOn()), metric == Metric.TEST_ACCURACY ? ">=" : "<=", target))
                .xAxisTitle("optimizer").yAxisTitle("seconds to target (mean, seed range)")
                .build();
        CategoryStyler st = chart.getStyler();
        st.setLegendVisible(false);
        st.setChartBackgroundColor(Color.WHITE);
        st.setOverlapped(true);
        st.setXAxisLabelRotation(45); // every optimizer's label drawn, none over another
        st.setYAxisDecimalPattern("0.#");
        List<String> optimizers = results.optimizers();
        List<String> labels = new ArrayList<>();
        for (TimeToTarget t : rows) {
            boolean diverged = results.divergences().stream().anyMatch(d -> d.optimizer().equals(t.optimizer()));
            labels.add(t.optimizer() + (t.reached() == 0 ? (diverged ? " (diverged)" : " (not reached)")
                    : String.format(Locale.ROOT, " (%.2f ep%s)", t.meanEpochs(),
                    t.reached() < t.runs() ? ", " + t.reached() + "/" + t.runs() + " runs" : "")));
        }
        boolean anyReached = rows.stream().anyMatch(t -> t.reached() > 0);
        if (!anyReached) {
            // Nothing to draw: an axis scaled to nothing would show a lone "0.0"; say what happened instead.
            if (labels.isEmpty()) {
                labels.add("no target set");
            }
            st.setYAxisMin(0.0);
            st.setYAxisMax(1.0);
            st.setYAxisTicksVisible(false);
            chart.addSeries("none", labels, labels.stream().map(l -> (Number) 0.0).toList());
            chart.addAnnotation(new org.knowm.xchart.AnnotationTextPanel(target == null ? "No target set for this metric."
                    : "No run reached the target within " + results.config().epochs() + " epoch"
                    + (results.config().epochs() == 1 ? "" : "s") + ".", WIDTH / 2.0 - 140, HEIGHT / 2.0, true));
            return chart;
        }
        st.setYAxisMin(0.0);
        for (int i = 0; i < rows.size(); i++) {
            TimeToTarget t = rows.get(i);
            Color c = color(optimizers.indexOf(t.optimizer()));
            List<Double> mean = new ArrayList<>();
            List<Double> min = new ArrayList<>();
            List<Double> max = new ArrayList<>();
            for (int j = 0; j < rows.size(); j++) {
                boolean here = j == i && t.reached() > 0;
                mean.add(here ? t.meanSeconds() : null);
                min.add(here && t.reached() > 1 ? t.minSeconds() : null);
                max.add(here && t.reached() > 1 ? t.maxSeconds() : null);
            }
            CategorySeries bar = chart.addSeries(t.optimizer(), labels, mean);
            bar.setFillColor(c);
            bar.setLineColor(c);
            for (List<Double> edge : List.of(min, max)) {
                if (edge.stream().allMatch(java.util.Objects::isNull)) {
                    continue;
                }
                CategorySeries m = chart.addSeries(t.optimizer() + (edge == min ? " fastest" : " slowest"), labels, edge);
                m.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
                m.setMarker(SeriesMarkers.DIAMOND);
                m.setMarkerColor(Color.DARK_GRAY);
                m.setShowInLegend(false);
            }
        }
        return chart;
    }

    /** A heat map of {@code values[row][column]} (NaN cells are left blank), e.g. final accuracy over a grid. */
    public static org.knowm.xchart.HeatMapChart heatmap(String title, String xTitle, List<?> xs, String yTitle, List<?> ys,
                                                        double[][] values) {
        org.knowm.xchart.HeatMapChart chart = new org.knowm.xchart.HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xfff5eb), new Color(0xfd8d3c), new Color(0x7f2704)});
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < ys.size(); r++) {
            for (int c = 0; c < xs.size(); c++) {
                if (!Double.isNaN(values[r][c])) {
                    cells.add(new Number[] {c, r, Math.round(values[r][c] * 1000) / 1000.0});
                }
            }
        }
        if (cells.isEmpty()) {
            // XChart cannot draw an empty heat map: show zeros, and say so in the title
            chart.setTitle(title + " (no value: none reached)");
            chart.getStyler().setShowValue(false);
            for (int r = 0; r < ys.size(); r++) {
                for (int c = 0; c < xs.size(); c++) {
                    cells.add(new Number[] {c, r, 0});
                }
            }
        }
        chart.addSeries(title, xs, ys, cells);
        return chart;
    }

    /** One bar per category, e.g. per-class F1. */
    public static CategoryChart bars(String title, String xTitle, String yTitle, Map<String, Double> values) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("0.###");
        CategorySeries s = chart.addSeries(yTitle, new ArrayList<>(values.keySet()), new ArrayList<>(values.values()));
        s.setFillColor(color(0));
        return chart;
    }

    /** Curves of several metrics side by side, against one x axis: what a notebook shows after training. */
    public static BufferedImage panel(Results results, XAxis axis, Metric... metrics) {
        return sideBySide(java.util.Arrays.stream(metrics).map(m -> curves(results, m, axis)).toList());
    }

    /** Several charts side by side in one image (what notebooks display). */
    public static BufferedImage sideBySide(List<? extends Chart<?, ?>> charts) {
        BufferedImage img = new BufferedImage(WIDTH * charts.size(), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (int i = 0; i < charts.size(); i++) {
            Graphics2D gi = (Graphics2D) g.create(i * WIDTH, 0, WIDTH, HEIGHT);
            charts.get(i).paint(gi, WIDTH, HEIGHT);
            gi.dispose();
        }
        g.dispose();
        return img;
    }

    /** The chart as an image (IJava renders a {@code RenderedImage} as image/png). */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes {@code base.png} and {@code base.svg} atomically; returns the PNG path. */
    public static Path save(Chart<?, ?> chart, Path base) throws IOException {
        AtomicFiles.ownFolder(base.toAbsolutePath().getParent());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        Path pngPath = base.resolveSibling(base.getFileName() + ".png");
        AtomicFiles.write(pngPath, png.toByteArray());
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        AtomicFiles.write(base.resolveSibling(base.getFileName() + ".svg"), svg.toByteArray());
        return pngPath;
    }

    /**
     * Every standard plot of a results folder into {@code dir}: metric vs epoch, time and gradient evaluations,
     * time-to-target.
     */
    public static List<Path> saveAll(Results results, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            String n = m.name().toLowerCase(Locale.ROOT).replace('_', '-');
            for (XAxis axis : XAxis.values()) {
                out.add(save(curves(results, m, axis), dir.resolve(n + "-vs-" + axis.fileSuffix())));
            }
            if (m.target(results.config().targets()) != null) {
                out.add(save(timeToTarget(results, m), dir.resolve("time-to-" + n)));
            }
        }
        return out;
    }
}
