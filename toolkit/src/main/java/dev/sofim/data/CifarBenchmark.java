package dev.sofim.data;

import java.net.URI;
import java.util.List;

/**
 * A CIFAR binary-version dataset: where its archive comes from, its checksum, and its record
 * layout. {@link #CIFAR10} and {@link #CIFAR100} are the official ones; tests build their own on
 * small files of the same format.
 *
 * @param id          folder name in the cache and name in configs
 * @param archive     archive file name
 * @param sha256      SHA-256 of the archive
 * @param urls        where to download the archive
 * @param folder      the folder inside the archive that holds the batches
 * @param trainFiles  training batch files
 * @param testFiles   test batch files
 * @param labelBytes  label bytes before the pixels (1 for CIFAR-10; 2, coarse then fine, for CIFAR-100)
 * @param classes     number of classes of the label used (the last label byte)
 */
public record CifarBenchmark(String id, String archive, String sha256, List<URI> urls, String folder,
                             List<String> trainFiles, List<String> testFiles, int labelBytes, int classes) {

    public static final int PIXELS = 3 * 32 * 32;

    public static final CifarBenchmark CIFAR10 = new CifarBenchmark("cifar-10", "cifar-10-binary.tar.gz",
            "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
            List.of(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")), "cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            List.of("test_batch.bin"), 1, 10);

    public static final CifarBenchmark CIFAR100 = new CifarBenchmark("cifar-100", "cifar-100-binary.tar.gz",
            "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec",
            List.of(URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz")), "cifar-100-binary",
            List.of("train.bin"), List.of("test.bin"), 2, 100);

    public int recordBytes() {
        return labelBytes + PIXELS;
    }
}
