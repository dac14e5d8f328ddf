// The setup line of every notebook: `%load setup.jsh` brings the toolkit jar and its libraries, the imports, and
// `train(...)`, which runs an experiment with a chart redrawn after every epoch. It uses only what IJava 1.3.0 and the
// project's kernel both support (%jars, display, updateDisplay), so a notebook runs the same on Binder and here.
%jars ../toolkit/target/sofim-toolkit.jar ../toolkit/target/lib/*.jar
import dev.sofim.analysis.*;
import dev.sofim.data.*;
import dev.sofim.experiment.*;
import dev.sofim.models.*;
import dev.sofim.optim.*;
import dev.sofim.plot.*;
import dev.sofim.sweep.*;
import dev.sofim.study.*;
import java.nio.file.*;
import java.util.*;

/** Trains every optimizer and seed not yet in the experiment's results folder, with a live chart and a line per epoch. */
Results train(Experiment experiment) throws java.io.IOException {
    LivePlot live = new LivePlot(experiment.config().name(), List.of(Metric.TRAIN_LOSS, Metric.TEST_ACCURACY));
    String chart = display(live.image());
    live.onUpdate(image -> updateDisplay(chart, image));
    return experiment.run(Experiment.resultsFolder(experiment.config()), live, new ConsoleProgress(System.out, false));
}


/** Shows an image, redraws it every second while a sweep runs in its own process, then waits for the sweep's end. */
void watch(dev.sofim.sweep.SweepProcess sweep, java.util.function.Supplier<java.awt.image.BufferedImage> image)
        throws Exception {
    String chart = display(image.get());
    while (sweep.isAlive()) {
        Thread.sleep(1000);
        updateDisplay(chart, image.get());
    }
    sweep.finish();
    updateDisplay(chart, image.get());
}
