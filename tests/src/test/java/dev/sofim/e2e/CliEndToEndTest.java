package dev.sofim.e2e;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's CLI line: the reduced MNIST comparison through bin/sofim, offline, leaving results and PNG plots. */
class CliEndToEndTest {

    @Test
    void reducedMnistComparisonLeavesResultsAndPlots() throws Exception {
        Path out = Path.of("target/cli-results").toAbsolutePath();
        Processes.deleteTree(out);
        Processes p = Processes.run(Processes.ROOT, Map.of(), 20, List.of("bash", "toolkit/bin/sofim", "run",
                "toolkit/examples/mnist-lenet-reduced.json", "--out", out.toString()));
        assertEquals(0, p.status(), p.output());
        assertTrue(p.output().contains("time to target"), p.output());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(1 + 3 * 3, metrics.size(), "3 optimizers x 3 epochs: " + metrics);
        for (String png : List.of("test-accuracy-vs-epoch.png", "train-loss-vs-time.png", "time-to-test-accuracy.png")) {
            assertNotNull(ImageIO.read(out.resolve("plots").resolve(png).toFile()), png);
        }
        assertTrue(Files.readString(out.resolve("summary.csv")).startsWith("optimizer,metric,target"));
    }
}
