package dev.sofim.plot;

import dev.sofim.data.Dataset;
import dev.sofim.data.DataOptions;
import dev.sofim.experiment.EpochRecord;
import dev.sofim.experiment.ExperimentConfig;
import dev.sofim.experiment.Metric;
import dev.sofim.experiment.OptimizerSpec;
import dev.sofim.experiment.Results;
import dev.sofim.experiment.Targets;
import dev.sofim.models.ModelKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plots from results: mean and min–max band over seeds, PNG and SVG files, live images. */
class PlotsTest {

    static Results results() {
        ExperimentConfig c = new ExperimentConfig("plots", Dataset.MNIST, null, DataOptions.full(), ModelKind.MLP, 3, 10,
                List.of(1L, 2L), List.of(OptimizerSpec.of("sofim", "sofim", Map.of()), OptimizerSpec.of("sgd", "sgd", Map.of())),
                new Targets(null, null, 0.9), false);
        List<EpochRecord> rs = new ArrayList<>();
        for (String o : List.of("sofim", "sgd")) {
            for (long s = 1; s <= 2; s++) {
                for (int e = 1; e <= 3; e++) {
                    double acc = (o.equals("sofim") ? 0.85 : 0.8) + 0.03 * e + 0.01 * s;
                    rs.add(new EpochRecord(o, s, e, 1.0 / e, 1.2 / e, acc, 2.0 * e, 0.1 * e, 10L * e, 10L * e));
                }
            }
        }
        return new Results(c, rs);
    }

    /** Bars in each optimizer's curve colour, the seeds' range as markers; nothing reached says so instead of an empty axis. */
    @Test
    void timeToTargetBarsUseCurveColoursAndShowTheSpread() {
        Results r = results();
        org.knowm.xchart.CategoryChart chart = Plots.timeToTarget(r, Metric.TEST_ACCURACY);
        XYChart curves = Plots.curves(r, Metric.TEST_ACCURACY, false);
        for (String o : List.of("sofim", "sgd")) {
            java.awt.Color bar = chart.getSeriesMap().get(o).getFillColor();
            assertEquals(curves.getSeriesMap().keySet().stream().filter(k -> k.startsWith(o + " (mean"))
                    .map(k -> curves.getSeriesMap().get(k).getLineColor()).findFirst().orElseThrow(), bar, o);
        }
        // both seeds reach 0.9: the fastest and slowest seed are drawn for each optimizer
        assertTrue(chart.getSeriesMap().containsKey("sofim fastest") && chart.getSeriesMap().containsKey("sofim slowest"));
        assertNotNull(Plots.image(chart));

        ExperimentConfig unreachable = r.config().toBuilder().targets(new Targets(null, null, 0.999)).build();
        org.knowm.xchart.CategoryChart none = Plots.timeToTarget(new Results(unreachable, r.records()), Metric.TEST_ACCURACY);
        assertEquals(java.util.Set.of("none"), none.getSeriesMap().keySet(), "no bars when nothing reached the target");
        assertTrue(!none.getStyler().isYAxisTicksVisible(), "no lone 0.0 tick");
        assertNotNull(Plots.image(none));
    }

    @Test
    void curvesHoldMeanAndBandOverSeeds() {
        Curves c = Curves.of(results().records().stream().filter(r -> r.optimizer().equals("sofim")).toList(),
                Metric.TEST_ACCURACY);
        assertEquals(2, c.seeds());
        assertArrayEquals(new double[] {1, 2, 3}, c.epochs());
        assertEquals(0.85 + 0.03 + 0.015, c.mean()[0], 1e-12);
        assertEquals(0.85 + 0.03 + 0.01, c.min()[0], 1e-12);
        assertEquals(0.85 + 0.03 + 0.02, c.max()[0], 1e-12);
        XYChart chart = Plots.curves(results(), Metric.TEST_ACCURACY, true);
        assertEquals(4, chart.getSeriesMap().size(), "a band and a mean line per optimizer");
        assertTrue(chart.getSeriesMap().containsKey("sofim (mean of 2)"));
    }

    @Test
    void theEvaluationsAxisCountsGradientEvaluations() {
        XYChart chart = Plots.curves(results(), Metric.TEST_ACCURACY, XAxis.GRADIENT_EVALUATIONS);
        assertEquals("mini-batch gradient evaluations", chart.getStyler() == null ? "" : chart.getXAxisTitle());
        var series = chart.getSeriesMap().values().stream().filter(x -> x.getName().contains("mean")).findFirst().orElseThrow();
        double[] xs = series.getXData();
        assertEquals(10.0, xs[0], 0, "epoch 1 of the fixture holds 10 evaluations");
    }

    @Test
    void saveAllWritesReadablePngAndSvg(@TempDir Path dir) throws IOException {
        List<Path> pngs = Plots.saveAll(results(), dir);
        assertEquals(3 * 3 + 1, pngs.size(), "3 metrics x (epoch, time, gradient evaluations) + 1 target");
        assertTrue(Files.exists(dir.resolve("test-accuracy-vs-evaluations.png")));
        for (Path p : pngs) {
            BufferedImage img = ImageIO.read(p.toFile());
            assertNotNull(img, p.toString());
            assertEquals(Plots.WIDTH, img.getWidth());
            String svg = Files.readString(p.resolveSibling(p.getFileName().toString().replace(".png", ".svg")));
            assertTrue(svg.contains("<svg"), p.toString());
        }
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void livePlotDrawsCurvesFromPointsAsTheyArriveAndAPlaceholderBeforeThem() {
        LivePlot live = new LivePlot("live", List.of(Metric.TRAIN_LOSS, Metric.TEST_ACCURACY));
        List<BufferedImage> images = new ArrayList<>();
        live.onUpdate(images::add);
        assertEquals(Plots.HEIGHT / 3, live.image().getHeight(), "before the first point: a line of text, not empty axes");
        live.pointEvaluated(new dev.sofim.experiment.EvalPoint("sofim", 1, 0, 0, 0, 2.3, 2.3, 0.1,
                dev.sofim.optim.Sofim.Diagnostics.NONE, 0, 0.1));
        live.pointEvaluated(new dev.sofim.experiment.EvalPoint("sofim", 1, 5, 1, 5, 1.1, 1.2, 0.6,
                dev.sofim.optim.Sofim.Diagnostics.NONE, 0.5, 0.1));
        assertEquals(1, images.size(), "the second point within a second of the first waits for the next redraw");
        live.epochFinished(results().records().get(0));
        assertEquals(2, images.size(), "an epoch's end always redraws");
        assertEquals(2 * Plots.WIDTH, images.get(1).getWidth());
        assertEquals(Plots.HEIGHT, images.get(1).getHeight());
        org.knowm.xchart.XYSeries curve = live.charts().get(0).getSeriesMap().get("sofim");
        assertEquals(2, curve.getXData().length, "one x per point: gradient evaluations");
        assertEquals(5.0, curve.getXData()[1]);
    }

    @Test
    void aDivergedRunDoesNotSetTheLossAxis() {
        Results r = results();
        double top = r.records().stream().mapToDouble(EpochRecord::trainLoss).max().orElseThrow();
        List<EpochRecord> blownUp = new ArrayList<>(r.records());
        EpochRecord first = r.records().get(0);
        String name = r.optimizers().get(0);
        // the first optimizer's last seed diverges: its loss explodes, and the divergence file says so
        Results diverged = new Results(r.config(), blownUp.stream().map(x -> x.optimizer().equals(name) && x.epoch() == 2
                && x.seed() == first.seed() ? new EpochRecord(x.optimizer(), x.seed(), x.epoch(), 1e6, x.testLoss(),
                x.testAccuracy(), x.seconds(), x.optimizerSeconds(), x.steps(), x.gradientEvaluations()) : x).toList(), List.of(new dev.sofim.experiment.Divergence(name, first.seed(), 2, "test")));
        XYChart chart = Plots.curves(diverged, Metric.TRAIN_LOSS, XAxis.EPOCH);
        Double axisTop = chart.getStyler().getYAxisMax();
        assertNotNull(axisTop, "the loss axis is set by the runs that did not diverge");
        assertTrue(axisTop < 10 * top, axisTop + " against the others' highest " + top);
        assertTrue(chart.getSeriesMap().keySet().stream().anyMatch(k -> k.contains("[diverged")), chart.getSeriesMap().keySet().toString());
    }

    @Test
    void anUnstableRunsSpikesTurnTheLossAxisLogarithmicSoTheOthersStayVisible() {
        Results r = results();
        assertTrue(!Plots.curves(r, Metric.TRAIN_LOSS, XAxis.EPOCH).getStyler().isYAxisLogarithmic(), "a span under 10: linear");
        Results spiky = new Results(r.config(), r.records().stream().map(x -> x.optimizer().equals("sgd") && x.epoch() == 2
                ? new EpochRecord(x.optimizer(), x.seed(), x.epoch(), 50.0, x.testLoss(), x.testAccuracy(), x.seconds(),
                x.optimizerSeconds(), x.steps(), x.gradientEvaluations()) : x).toList());
        XYChart chart = Plots.curves(spiky, Metric.TRAIN_LOSS, XAxis.EPOCH);
        assertTrue(chart.getStyler().isYAxisLogarithmic(), "50 against 1/3: more than a factor of " + Plots.LOG_SPAN);
        assertTrue(!Plots.curves(spiky, Metric.TEST_ACCURACY, XAxis.EPOCH).getStyler().isYAxisLogarithmic(), "accuracy stays linear");
        Plots.image(chart); // draws
        double bottom = r.records().stream().filter(x -> !(x.optimizer().equals("sgd") && x.epoch() == 2))
                .mapToDouble(EpochRecord::trainLoss).min().orElseThrow();
        double spike = 5 * Plots.LOG_SPAN * bottom;  // a span of 50: logarithmic, under two decades
        Results narrow = new Results(r.config(), r.records().stream().map(x -> x.optimizer().equals("sgd") && x.epoch() == 2
                ? new EpochRecord(x.optimizer(), x.seed(), x.epoch(), spike, x.testLoss(), x.testAccuracy(), x.seconds(),
                x.optimizerSeconds(), x.steps(), x.gradientEvaluations()) : x).toList());
        XYChart labelled = Plots.curves(narrow, Metric.TRAIN_LOSS, XAxis.EPOCH);
        assertTrue(labelled.getStyler().isYAxisLogarithmic() && !labelled.getStyler().isYAxisLogarithmicDecadeOnly(),
                "a log axis under two decades labels its 2–9 multiples too");
        Plots.image(labelled);
    }
}
