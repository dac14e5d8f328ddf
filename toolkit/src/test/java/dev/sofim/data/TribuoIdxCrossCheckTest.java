package dev.sofim.data;

import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The toolkit's IDX parser against Tribuo's {@link IDXDataSource} on the real MNIST test files: the
 * same 10,000 labels and every pixel the same. Tribuo's reader is the independent oracle; the
 * toolkit keeps its own parser for what Tribuo's does not give: typed errors naming the file,
 * checksums, and compact byte storage instead of 60,000 sparse examples of boxed features.
 */
class TribuoIdxCrossCheckTest {
    @Test
    void realMnistTestSetMatchesTribuosReader() throws IOException {
        Path dir = new IdxLoader(IdxBenchmark.MNIST, null).install();
        Path imagesFile = dir.resolve("t10k-images-idx3-ubyte");
        Path labelsFile = dir.resolve("t10k-labels-idx1-ubyte");
        Idx.Images images = Idx.readImages(imagesFile);
        byte[] labels = Idx.readLabels(labelsFile);

        IDXDataSource<Label> tribuo = new IDXDataSource<>(imagesFile, labelsFile, new LabelFactory());
        assertEquals(images.count(), tribuo.size());
        int perImage = images.pixelsPerImage();
        int i = 0;
        for (Example<Label> example : tribuo) {
            assertEquals(String.valueOf(labels[i] & 0xff), example.getOutput().getLabel(), "label of image " + i);
            double[] dense = new double[perImage];
            for (Feature f : example) {
                dense[Integer.parseInt(f.getName())] = f.getValue();
            }
            for (int p = 0; p < perImage; p++) {
                if (dense[p] != (images.pixels()[i * perImage + p] & 0xff)) {
                    throw new AssertionError("image " + i + " pixel " + p + ": Tribuo reads " + dense[p] + ", the toolkit "
                            + (images.pixels()[i * perImage + p] & 0xff));
                }
            }
            i++;
        }
        assertEquals(10_000, i);
    }
}
