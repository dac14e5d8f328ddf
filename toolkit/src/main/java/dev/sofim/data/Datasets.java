package dev.sofim.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Loading the benchmark datasets ({@link Dataset}): found and verified in the toolkit's resolution order. */
public final class Datasets {
    /** Every dataset id, in {@link Dataset} order. */
    public static final List<String> NAMES = Dataset.ids();

    private Datasets() {
    }

    /** The full training and test sets as floats (every image: prefer {@link #load(Dataset, Path, DataOptions)}). */
    public static Split load(String name, Path explicitDir) throws IOException {
        return loadRaw(Dataset.of(name), explicitDir).all();
    }

    /** The training and test sets as the files' bytes. */
    public static RawSplit loadRaw(Dataset dataset, Path explicitDir) throws IOException {
        return switch (dataset) {
            case MNIST -> new IdxLoader(IdxBenchmark.MNIST, explicitDir).loadRaw();
            case FASHION_MNIST -> new IdxLoader(IdxBenchmark.FASHION_MNIST, explicitDir).loadRaw();
            case CIFAR10 -> new CifarLoader(CifarBenchmark.CIFAR10, explicitDir).loadRaw();
            case CIFAR100 -> new CifarLoader(CifarBenchmark.CIFAR100, explicitDir).loadRaw();
        };
    }

    /**
     * Loads and prepares (subsets, validation split, normalization), converting to floats only the images taken:
     * memory in proportion to the requested sizes.
     */
    public static Split load(Dataset dataset, Path explicitDir, DataOptions options) throws IOException {
        return prepare(loadRaw(dataset, explicitDir), options);
    }

    /** Subsets, validation split and normalization from the files' bytes: floats only for the images taken. */
    public static Split prepare(RawSplit raw, DataOptions o) {
        return prepare(raw.train().size(), raw.train()::select, raw.train().name(), raw.test().size(),
                raw.test()::select, raw.test().name(), raw.checksums(), o);
    }

    /** {@link #load(Dataset, Path, DataOptions)} by dataset name. */
    public static Split load(String name, Path explicitDir, DataOptions options) throws IOException {
        return load(Dataset.of(name), explicitDir, options);
    }

    /** Installs a dataset into the cache (offline sources first); returns where it is. */
    public static Path fetch(String name) throws IOException {
        return switch (Dataset.of(name)) {
            case MNIST -> new IdxLoader(IdxBenchmark.MNIST, null).install();
            case FASHION_MNIST -> new IdxLoader(IdxBenchmark.FASHION_MNIST, null).install();
            case CIFAR10 -> new CifarLoader(CifarBenchmark.CIFAR10, null).batchesFolder();
            case CIFAR100 -> new CifarLoader(CifarBenchmark.CIFAR100, null).batchesFolder();
        };
    }

    /** Subsets, validation split and normalization of sets already in memory. */
    public static Split prepare(Split raw, DataOptions o) {
        ImageSet train = raw.train();
        ImageSet test = raw.test();
        return prepare(train.size(), train::select, train.name(), test.size(), test::select, test.name(), raw.checksums(), o);
    }

    /**
     * The training subset is the first {@code trainSize} images of a seeded shuffle, the validation split the next
     * {@code validationSize} (no shuffle when the whole set is taken), the test subset the first {@code testSize}.
     */
    private static Split prepare(int trainCount, Function<int[], ImageSet> trainImages, String trainName, int testCount,
                                 Function<int[], ImageSet> testImages, String testName, Map<String, String> checksums,
                                 DataOptions o) {
        int wanted = o.trainSize() == 0 ? trainCount - o.validationSize() : o.trainSize();
        if (wanted <= 0 || wanted + o.validationSize() > trainCount) {
            throw new IllegalArgumentException(trainName + " has " + trainCount + " images; cannot take trainSize="
                    + o.trainSize() + " plus validationSize=" + o.validationSize());
        }
        if (o.testSize() > testCount) {
            throw new IllegalArgumentException(testName + " has " + testCount + " images; cannot take testSize="
                    + o.testSize());
        }
        int[] order = (o.trainSize() == 0 && o.validationSize() == 0) ? ImageSet.range(trainCount)
                : ImageSet.permutation(trainCount, o.shuffleSeed());
        ImageSet train = trainImages.apply(Arrays.copyOfRange(order, 0, wanted));
        ImageSet validation = o.validationSize() == 0 ? null
                : trainImages.apply(Arrays.copyOfRange(order, wanted, wanted + o.validationSize()));
        ImageSet test = testImages.apply(ImageSet.range(o.testSize() <= 0 ? testCount : o.testSize()));
        if (o.normalization() == DataOptions.Normalization.STANDARDIZE) {
            float[] mean = train.channelMeans();
            float[] std = train.channelStds();
            train = train.standardized(mean, std);
            test = test.standardized(mean, std);
            validation = validation == null ? null : validation.standardized(mean, std);
        }
        return new Split(train, validation, test, checksums);
    }
}
