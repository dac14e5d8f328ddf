package dev.sofim.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code %maven}, {@code %mavenRepo} and {@code %%loadFromPOM}: resolves artifacts with their
 * dependencies by running Maven ({@code mvn} on the PATH) on a generated POM, through the user's
 * ~/.m2 and Maven Central (or the repositories added).
 */
final class MavenResolver {
    private final Map<String, String> repositories = new LinkedHashMap<>();

    void addRepository(String id, String url) {
        repositories.put(id, url);
    }

    List<Path> resolve(List<String> coordinates) throws IOException, InterruptedException {
        StringBuilder deps = new StringBuilder();
        for (String c : coordinates) {
            String[] p = c.split(":");
            if (p.length < 3 || p.length > 5) {
                throw new IllegalArgumentException("%maven expects group:artifact:version (or group:artifact:type:version"
                        + " or group:artifact:type:classifier:version), got '" + c + "'");
            }
            String version = p[p.length - 1];
            deps.append("<dependency><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
                    .append("</artifactId><version>").append(version).append("</version>");
            if (p.length >= 4) {
                deps.append("<type>").append(p[2]).append("</type>");
            }
            if (p.length == 5) {
                deps.append("<classifier>").append(p[3]).append("</classifier>");
            }
            deps.append("</dependency>");
        }
        return run(pom("<dependencies>" + deps + "</dependencies>"));
    }

    List<Path> resolvePom(String body) throws IOException, InterruptedException {
        String b = body.strip();
        if (b.contains("<project")) {
            return run(b);
        }
        if (b.startsWith("<dependencies>")) {
            return run(pom(b));
        }
        return run(pom("<dependencies>" + b + "</dependencies>"));
    }

    private String pom(String dependencies) {
        StringBuilder repos = new StringBuilder();
        repositories.forEach((id, url) -> repos.append("<repository><id>").append(id).append("</id><url>").append(url)
                .append("</url></repository>"));
        return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>notebook</groupId><artifactId>notebook-deps</artifactId><version>1</version>"
                + (repos.length() > 0 ? "<repositories>" + repos + "</repositories>" : "") + dependencies + "</project>";
    }

    private List<Path> run(String pom) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sofim-kernel-maven");
        Path pomFile = dir.resolve("pom.xml");
        Path cp = dir.resolve("classpath.txt");
        Files.writeString(pomFile, pom);
        Path log = dir.resolve("mvn.log");
        Process p;
        try {
            p = new ProcessBuilder("mvn", "-B", "-q", "-f", pomFile.toString(),
                    "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:build-classpath", "-Dmdep.outputFile=" + cp)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("%maven needs Maven ('mvn') on the PATH: " + e.getMessage(), e);
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("Maven could not resolve the dependencies:\n" + Files.readString(log));
        }
        List<Path> out = new ArrayList<>();
        String text = Files.exists(cp) ? Files.readString(cp).strip() : "";
        for (String s : text.split(File.pathSeparator)) {
            if (!s.isBlank()) {
                out.add(Path.of(s));
            }
        }
        return out;
    }
}
