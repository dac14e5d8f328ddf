package dev.sofim.testdata;

import dev.sofim.data.IdxBenchmark;
import dev.sofim.data.IdxLoader;
import dev.sofim.data.ImageSet;
import dev.sofim.data.Split;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The first 2,000 MNIST training digits and the first 1,000 test digits (real data, loaded once). */
public final class MnistSubset {
    private static Split split;

    private MnistSubset() {
    }

    private static synchronized Split split() {
        if (split == null) {
            try {
                split = new IdxLoader(IdxBenchmark.MNIST, null).load();
            } catch (IOException e) {
                throw new UncheckedIOException("MNIST is needed: run toolkit/bin/install-offline-data.sh", e);
            }
        }
        return split;
    }

    public static ImageSet train() {
        return split().train().head(2000);
    }

    public static ImageSet test() {
        return split().test().head(1000);
    }
}
