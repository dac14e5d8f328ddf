package dev.sofim.data;

import java.util.Objects;

/**
 * A dataset's images as the unsigned bytes of its files, converted to floats in [0, 1] only for the images
 * asked for: preparing a subset costs memory in proportion to the subset (four bytes a pixel for the chosen
 * images), not a float copy of the whole set. Pixel j of image i is {@code data[offset + i·stride + j]}, so a
 * file's bytes can be used as they are (IDX: no gaps; CIFAR: a label byte before each record's pixels).
 */
public record RawImages(String name, int channels, int height, int width, int classes, byte[] data, int offset,
                        int stride, int[] labels) {

    public RawImages {
        Objects.requireNonNull(name);
        int d = channels * height * width;
        if (stride < d || offset < 0 || (labels.length > 0 && offset + (long) (labels.length - 1) * stride + d > data.length)) {
            throw new IllegalArgumentException(name + ": " + data.length + " bytes cannot hold " + labels.length
                    + " images of " + d + " pixels at offset " + offset + ", stride " + stride);
        }
        ImageSet.checkLabels(name, labels, classes);
    }

    public int size() {
        return labels.length;
    }

    /** The images in the order of {@code index}, as floats (byte / 255). */
    public ImageSet select(int[] index) {
        int d = channels * height * width;
        float[] p = new float[index.length * d];
        int[] l = new int[index.length];
        for (int k = 0; k < index.length; k++) {
            int base = offset + index[k] * stride;
            for (int j = 0; j < d; j++) {
                p[k * d + j] = (data[base + j] & 0xff) / 255f;
            }
            l[k] = labels[index[k]];
        }
        return new ImageSet(name, channels, height, width, classes, p, l);
    }

    /** The first {@code n} images (all of them when n ≥ size or n ≤ 0). */
    public ImageSet head(int n) {
        return select(ImageSet.range(n <= 0 || n >= size() ? size() : n));
    }
}
