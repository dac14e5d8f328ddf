package dev.sofim.experiment;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** What a results folder's run.json records besides the config: versions, machine, data checksums. */
public final class RunInfo {
    private RunInfo() {
    }

    /** The toolkit's and its libraries' versions, and Java's. */
    public static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("sofim-toolkit", version("dev.sofim", "sofim-toolkit"));
        versions.put("deeplearning4j-nn", version("org.deeplearning4j", "deeplearning4j-nn"));
        // the ND4J backend on the class path: the CPU build, or the CUDA one under `mvn -P cuda`
        String cuda = version("org.nd4j", "nd4j-cuda-11.6");
        if (cuda.equals("unknown")) {
            versions.put("nd4j-native", version("org.nd4j", "nd4j-native"));
        } else {
            versions.put("nd4j-cuda-11.6", cuda);
        }
        versions.put("tribuo", org.tribuo.Tribuo.VERSION);
        versions.put("xchart", version("org.knowm.xchart", "xchart"));
        versions.put("java", System.getProperty("java.runtime.version"));
        return versions;
    }

    /** The ND4J backend in use (loads it). */
    public static String nd4jBackend() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }

    /** The platform folder in the path of libnd4j's library inside its natives jar ({@code linux-x86_64-onednn-avx2}). */
    private static final java.util.regex.Pattern PLATFORM_FOLDER =
            java.util.regex.Pattern.compile("/([a-z0-9_]+-x86_64[a-z0-9-]*|[a-z0-9_]+-(?:arm64|ppc64le|armhf))/lib(?:jni)?nd4j");

    /**
     * The native build ND4J loaded, as its platform folder names it ({@code linux-x86_64-onednn-avx2},
     * {@code linux-x86_64}, ...): where libnd4j's library came from. Numbers differ between builds in float rounding.
     */
    public static String nd4jBuild() {
        Nd4j.getExecutioner();
        for (String path : org.bytedeco.javacpp.Loader.getLoadedLibraries().values()) {
            java.util.regex.Matcher m = PLATFORM_FOLDER.matcher(path);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "unknown";
    }

    static String json(ExperimentConfig config, Map<String, String> checksums, long parameters, Map<String, String> env) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", config.name());
        m.put("seeds", config.seeds());
        m.put("parameters", parameters);
        m.put("datasetSha256", checksums);
        m.put("versions", versions());
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        machine.put("nd4jBackend", nd4jBackend());
        machine.put("nd4jBuild", nd4jBuild());
        machine.put("nd4jThreads", ComputeThreads.current());
        // the optimizer step engine on FLOAT arrays: VECTOR (the Vector API) or LOOPS; the same numbers either way
        machine.put("stepEngine", dev.sofim.optim.FloatStep.engine().toString());
        m.put("machine", machine);
        Map<String, String> knobs = new LinkedHashMap<>();
        for (String k : ExperimentConfig.KNOBS) {
            if (env.get(k) != null) {
                knobs.put(k, env.get(k));
            }
        }
        m.put("environmentKnobs", knobs);
        return ConfigJson.pretty(m);
    }

    /** A library's version from its Maven metadata on the classpath, or "unknown". */
    static String version(String group, String artifact) {
        String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = RunInfo.class.getResourceAsStream(res)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            return "unknown";
        }
        Package p = RunInfo.class.getPackage();
        return artifact.equals("sofim-toolkit") && p.getImplementationVersion() != null ? p.getImplementationVersion() : "unknown";
    }
}
