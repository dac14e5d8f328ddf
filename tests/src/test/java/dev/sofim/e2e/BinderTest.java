package dev.sofim.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binder: a lint of the Dockerfile, and its build steps run here up to the network-only step. */
class BinderTest {
    static final Path BINDER = Processes.ROOT.resolve("binder");
    static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "ARG", "ENV", "COPY", "USER", "WORKDIR", "LABEL", "EXPOSE",
            "CMD", "ENTRYPOINT");

    @Test
    void dockerfileLint() throws Exception {
        List<String> instructions = new ArrayList<>();
        String pending = "";
        for (String line : Files.readAllLines(BINDER.resolve("Dockerfile"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String joined = pending + line.strip();
            if (joined.endsWith("\\")) {
                pending = joined.substring(0, joined.length() - 1) + " ";
                continue;
            }
            pending = "";
            instructions.add(joined);
        }
        assertTrue(pending.isEmpty(), "a continued line never ends");
        for (String i : instructions) {
            String word = i.split("\\s+")[0];
            assertTrue(INSTRUCTIONS.contains(word), "unknown instruction: " + i);
        }
        assertTrue(instructions.get(0).matches("FROM eclipse-temurin:17-jdk-\\w+"), "a pinned Temurin 17 JDK base: " + instructions.get(0));
        assertTrue(instructions.contains("ARG NB_UID=1000") && instructions.contains("USER ${NB_USER}")
                && instructions.contains("ARG NB_USER=jovyan"), "runs as jovyan, UID 1000");
        assertTrue(instructions.stream().anyMatch(i -> i.contains("ijava-1.3.0.zip") && i.contains("install.py --sys-prefix")),
                "installs IJava 1.3.0 from its release");
        assertTrue(instructions.contains("RUN bash binder/build-steps.sh"), "builds the toolkit with the tested script");
        int user = instructions.indexOf("USER ${NB_USER}");
        int build = instructions.indexOf("RUN bash binder/build-steps.sh");
        assertTrue(user < build, "the toolkit is built as the notebook user (files owned by jovyan)");
        for (String i : instructions) {
            assertTrue(!i.contains(":latest"), "unpinned image: " + i);
            if (i.startsWith("COPY ")) {
                String src = i.split("\\s+")[1];
                assertTrue(Files.exists(Processes.ROOT.resolve(src)), "COPY source missing: " + src);
            }
        }
        String env = String.join(" ", instructions);
        assertTrue(!env.contains("IJAVA_CLASSPATH"), "notebooks bring the toolkit with %load setup.jsh; on IJAVA_CLASSPATH too, "
                + "every jar would be on the class path twice");
        assertTrue(env.contains("-Xmx768m") && env.contains("javacpp.maxbytes=768m"), "IJava's heap fits a 2 GB Binder pod");
        assertTrue(env.contains("cp ${HOME}/notebooks/bin/jupyter_notebook_config.py /etc/jupyter/"),
                "the file browser hides the kernel's sources");
    }

    @Test
    void buildStepsRunOfflineUpToTheNetworkOnlyStep() throws Exception {
        Processes p = Processes.run(Processes.ROOT, Map.of(), 30, List.of("bash", "binder/build-steps.sh", "--offline"));
        assertEquals(0, p.status(), p.output());
        assertTrue(p.output().contains("binder step 3: skipped (--offline)"), p.output());
        assertTrue(Files.isRegularFile(Processes.ROOT.resolve("toolkit/target/sofim-toolkit.jar")));
    }
}
