package dev.sofim.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Images and labels in memory: pixels as floats scaled to [0, 1], channel-major per image
 * (c·h·w), labels 0 … classes−1.
 */
public record ImageSet(String name, int channels, int height, int width, int classes, float[] pixels, int[] labels) {

    public ImageSet {
        Objects.requireNonNull(name);
        int d = channels * height * width;
        if (pixels.length != (long) d * labels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel values for " + labels.length
                    + " images of " + channels + "x" + height + "x" + width);
        }
        checkLabels(name, labels, classes);
    }

    /** Every label in 0 … classes−1, or an error naming the set, the image and the label. */
    static void checkLabels(String name, int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i
                        + " is outside [0, " + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int features() {
        return channels * height * width;
    }

    /** The images [from, to). */
    public ImageSet slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int d = features();
        return new ImageSet(name, channels, height, width, classes, Arrays.copyOfRange(pixels, from * d, to * d),
                Arrays.copyOfRange(labels, from, to));
    }

    /** The first {@code n} images (all of them when n ≥ size or n ≤ 0). */
    public ImageSet head(int n) {
        return n <= 0 || n >= size() ? this : slice(0, n);
    }

    /** The images in the order of {@code index}. */
    public ImageSet select(int[] index) {
        int d = features();
        float[] p = new float[index.length * d];
        int[] l = new int[index.length];
        for (int k = 0; k < index.length; k++) {
            System.arraycopy(pixels, index[k] * d, p, k * d, d);
            l[k] = labels[index[k]];
        }
        return new ImageSet(name, channels, height, width, classes, p, l);
    }

    /** A seeded shuffle (Fisher–Yates with {@link SplittableRandom}). */
    public ImageSet shuffled(long seed) {
        return select(permutation(size(), seed));
    }

    /** 0 … n−1. */
    static int[] range(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** A seeded permutation of 0 … n−1. */
    public static int[] permutation(int n, long seed) {
        int[] idx = range(n);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** Per-channel standardization with the given means and standard deviations, in place on a copy. */
    public ImageSet standardized(float[] mean, float[] std) {
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException(name + ": need " + channels + " channel means and stds, got "
                    + mean.length + " and " + std.length);
        }
        float[] p = pixels.clone();
        int hw = height * width;
        for (int i = 0; i < p.length; i++) {
            int c = (i / hw) % channels;
            p[i] = (p[i] - mean[c]) / std[c];
        }
        return new ImageSet(name, channels, height, width, classes, p, labels);
    }

    /** Per-channel means over all images. */
    public float[] channelMeans() {
        double[] s = new double[channels];
        int hw = height * width;
        for (int i = 0; i < pixels.length; i++) {
            s[(i / hw) % channels] += pixels[i];
        }
        float[] m = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = (float) (s[c] / ((double) hw * size()));
        }
        return m;
    }

    /** Per-channel standard deviations over all images. */
    public float[] channelStds() {
        float[] mean = channelMeans();
        double[] s = new double[channels];
        int hw = height * width;
        for (int i = 0; i < pixels.length; i++) {
            int c = (i / hw) % channels;
            double d = pixels[i] - mean[c];
            s[c] += d * d;
        }
        float[] sd = new float[channels];
        for (int c = 0; c < channels; c++) {
            sd[c] = (float) Math.sqrt(s[c] / ((double) hw * size()));
        }
        return sd;
    }

    @Override
    public String toString() {
        return "ImageSet[" + name + ", " + size() + " images " + channels + "x" + height + "x" + width + ", " + classes
                + " classes]";
    }
}
