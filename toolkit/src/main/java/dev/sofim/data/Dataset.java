package dev.sofim.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The benchmark datasets; {@link #id()} is the name configs, the CLI and the cache use. */
public enum Dataset {
    MNIST("mnist", "MNIST", 60_000),
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST", 60_000),
    CIFAR10("cifar10", "CIFAR-10", 50_000),
    CIFAR100("cifar100", "CIFAR-100", 50_000);

    private final String id;
    private final String title;
    private final int trainImages;

    Dataset(String id, String title, int trainImages) {
        this.id = id;
        this.title = title;
        this.trainImages = trainImages;
    }

    /** The images of the official training set (60,000 for the MNISTs, 50,000 for the CIFARs). */
    public int trainImages() {
        return trainImages;
    }

    /** The name in configs and on the command line: {@code mnist}, {@code fashion-mnist}, {@code cifar10}, {@code cifar100}. */
    public String id() {
        return id;
    }

    /** The name for people: MNIST, Fashion-MNIST, CIFAR-10, CIFAR-100. */
    public String title() {
        return title;
    }

    /** Every id. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Dataset::id).toList();
    }

    /** The dataset whose id is exactly {@code id}, as configs and sweeps name it; an error lists the ids. */
    public static Dataset byId(String id) {
        return Arrays.stream(values()).filter(d -> d.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown dataset '" + id + "'; expected one of " + ids()));
    }

    /** The dataset named {@code name} (its id, its title or a common spelling such as {@code fmnist}, {@code CIFAR_10}). */
    public static Dataset of(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (n) {
            case "mnist" -> MNIST;
            case "fashion-mnist", "fashionmnist", "fmnist" -> FASHION_MNIST;
            case "cifar10", "cifar-10" -> CIFAR10;
            case "cifar100", "cifar-100" -> CIFAR100;
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "'; expected one of " + ids());
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
