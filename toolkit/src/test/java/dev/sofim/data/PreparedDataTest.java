package dev.sofim.data;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Preparing a subset from the files' bytes: the same images as from floats, and floats only for what is taken. */
class PreparedDataTest {

    /** 50 training and 20 test "images" of 2×3 pixels behind a 1-byte label, as in a CIFAR record. */
    static RawSplit raw() {
        int d = 6;
        int stride = d + 1;
        byte[] train = new byte[50 * stride];
        int[] trainLabels = new int[50];
        for (int i = 0; i < 50; i++) {
            trainLabels[i] = i % 3;
            train[i * stride] = (byte) trainLabels[i];
            for (int j = 0; j < d; j++) {
                train[i * stride + 1 + j] = (byte) (i * 5 + j * 40);
            }
        }
        byte[] test = new byte[20 * stride];
        int[] testLabels = new int[20];
        for (int i = 0; i < 20; i++) {
            testLabels[i] = (i + 1) % 3;
            for (int j = 0; j < d; j++) {
                test[i * stride + 1 + j] = (byte) (255 - i * 7 - j);
            }
        }
        return new RawSplit(new RawImages("t train", 1, 2, 3, 3, train, 1, stride, trainLabels),
                new RawImages("t test", 1, 2, 3, 3, test, 1, stride, testLabels), Map.of("f", "sha"));
    }

    @Test
    void subsetsFromBytesEqualSubsetsFromTheFullFloatSet() {
        RawSplit raw = raw();
        Split floats = raw.all();
        assertEquals(50, floats.train().size());
        assertEquals((byte) (7 * 5 + 2 * 40) & 0xff, Math.round(floats.train().pixels()[7 * 6 + 2] * 255f));
        for (DataOptions o : new DataOptions[] {new DataOptions(10, 5, 4, 3, DataOptions.Normalization.UNIT),
                new DataOptions(0, 8, 0, 11, DataOptions.Normalization.STANDARDIZE), DataOptions.full()}) {
            Split fromFloats = Datasets.prepare(floats, o);
            // The old path, spelled out: a seeded shuffle of every image, then slices.
            ImageSet shuffled = (o.trainSize() == 0 && o.validationSize() == 0) ? floats.train()
                    : floats.train().shuffled(o.shuffleSeed());
            int wanted = o.trainSize() == 0 ? 50 - o.validationSize() : o.trainSize();
            ImageSet expectedTrain = shuffled.slice(0, wanted);
            if (o.normalization() == DataOptions.Normalization.UNIT) {
                assertArrayEquals(expectedTrain.pixels(), fromFloats.train().pixels(), o.toString());
                assertArrayEquals(expectedTrain.labels(), fromFloats.train().labels(), o.toString());
            }
            // From bytes, through the same code: identical floats.
            Split fromBytes = prepareRaw(raw, o);
            assertArrayEquals(fromFloats.train().pixels(), fromBytes.train().pixels(), o.toString());
            assertArrayEquals(fromFloats.train().labels(), fromBytes.train().labels(), o.toString());
            assertArrayEquals(fromFloats.test().pixels(), fromBytes.test().pixels(), o.toString());
            if (o.validationSize() == 0) {
                assertNull(fromBytes.validation());
            } else {
                assertArrayEquals(fromFloats.validation().pixels(), fromBytes.validation().pixels(), o.toString());
            }
            // Floats only for the requested images.
            assertEquals(wanted * 6, fromBytes.train().pixels().length);
            assertEquals((o.testSize() == 0 ? 20 : o.testSize()) * 6, fromBytes.test().pixels().length);
        }
    }

    /** Datasets.load's path on a RawSplit that is already in memory. */
    static Split prepareRaw(RawSplit raw, DataOptions o) {
        return Datasets.prepare(raw, o);
    }

    @Test
    void requestsBeyondTheSetNameTheSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> prepareRaw(raw(), new DataOptions(45, 10, 0, 0,
                DataOptions.Normalization.UNIT)));
        assertTrue(e.getMessage().contains("t train has 50 images") && e.getMessage().contains("trainSize=45"), e.getMessage());
        var t = assertThrows(IllegalArgumentException.class, () -> prepareRaw(raw(), new DataOptions(10, 0, 21, 0,
                DataOptions.Normalization.UNIT)));
        assertTrue(t.getMessage().contains("t test has 20 images") && t.getMessage().contains("testSize=21"), t.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> new RawImages("x", 1, 2, 3, 3, new byte[10], 1, 7, new int[2]));
        assertTrue(bad.getMessage().contains("10 bytes cannot hold 2 images"), bad.getMessage());
    }
}
