package dev.sofim.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The benchmark datasets by name: {@code mnist}, {@code fashion-mnist}, {@code cifar10}, {@code cifar100}. */
public final class Datasets {
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "cifar10", "cifar100");

    private Datasets() {
    }

    /** The full training and test sets, found and verified in the toolkit's resolution order. */
    public static Split load(String name, Path explicitDir) throws IOException {
        return switch (canonical(name)) {
            case "mnist" -> new IdxLoader(IdxBenchmark.MNIST, explicitDir).load();
            case "fashion-mnist" -> new IdxLoader(IdxBenchmark.FASHION_MNIST, explicitDir).load();
            case "cifar10" -> new CifarLoader(CifarBenchmark.CIFAR10, explicitDir).load();
            default -> new CifarLoader(CifarBenchmark.CIFAR100, explicitDir).load();
        };
    }

    /** Loads and prepares: subsets, validation split, normalization. */
    public static Split load(String name, Path explicitDir, DataOptions options) throws IOException {
        return prepare(load(name, explicitDir), options);
    }

    /** Installs a dataset into the cache (offline sources first); returns where it is. */
    public static Path fetch(String name) throws IOException {
        return switch (canonical(name)) {
            case "mnist" -> new IdxLoader(IdxBenchmark.MNIST, null).install();
            case "fashion-mnist" -> new IdxLoader(IdxBenchmark.FASHION_MNIST, null).install();
            case "cifar10" -> new CifarLoader(CifarBenchmark.CIFAR10, null).batchesFolder();
            default -> new CifarLoader(CifarBenchmark.CIFAR100, null).batchesFolder();
        };
    }

    public static Split prepare(Split raw, DataOptions o) {
        ImageSet train = raw.train();
        int wanted = o.trainSize() == 0 ? train.size() - o.validationSize() : o.trainSize();
        if (wanted <= 0 || wanted + o.validationSize() > train.size()) {
            throw new IllegalArgumentException(train.name() + " has " + train.size() + " images; cannot take trainSize="
                    + o.trainSize() + " plus validationSize=" + o.validationSize());
        }
        ImageSet shuffled = (o.trainSize() == 0 && o.validationSize() == 0) ? train : train.shuffled(o.shuffleSeed());
        ImageSet validation = o.validationSize() == 0 ? null : shuffled.slice(wanted, wanted + o.validationSize());
        train = shuffled.slice(0, wanted);
        if (o.testSize() > raw.test().size()) {
            throw new IllegalArgumentException(raw.test().name() + " has " + raw.test().size()
                    + " images; cannot take testSize=" + o.testSize());
        }
        ImageSet test = raw.test().head(o.testSize());
        if (o.normalization() == DataOptions.Normalization.STANDARDIZE) {
            float[] mean = train.channelMeans();
            float[] std = train.channelStds();
            train = train.standardized(mean, std);
            test = test.standardized(mean, std);
            validation = validation == null ? null : validation.standardized(mean, std);
        }
        return new Split(train, validation, test, raw.checksums());
    }

    static String canonical(String name) {
        String n = name == null ? "" : name.toLowerCase().replace("_", "-");
        return switch (n) {
            case "mnist" -> "mnist";
            case "fashion-mnist", "fashionmnist", "fmnist" -> "fashion-mnist";
            case "cifar10", "cifar-10" -> "cifar10";
            case "cifar100", "cifar-100" -> "cifar100";
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "'; expected one of " + NAMES);
        };
    }
}
