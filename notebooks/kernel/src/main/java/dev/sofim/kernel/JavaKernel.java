package dev.sofim.kernel;

import dev.sofim.kernel.api.Capture;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.magic.CellMagicParseContext;
import io.github.spencerpark.jupyter.kernel.magic.MagicParser;
import io.github.spencerpark.jupyter.kernel.magic.common.Load;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import io.github.spencerpark.jupyter.kernel.util.GlobFinder;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import jdk.jshell.execution.LocalExecutionControlProvider;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An IJava-compatible kernel: Java cells run in JShell inside this JVM (so values can be rendered),
 * with IJava's magics ({@code %jars}, {@code %classpath}, {@code %maven}, {@code %mavenRepo},
 * {@code %load} of a {@code .jsh}/{@code .jshell}/{@code .java}/{@code .ijava} file or a notebook's code cells, and
 * {@code %%loadFromPOM}; {@code %load} is the IJava base library's own, so it resolves paths as IJava does) and
 * notebook functions ({@code display}, {@code updateDisplay},
 * {@code render}, {@code eval}, statically imported from {@link dev.sofim.kernel.api.Notebook}).
 * Reads IJava's environment variables: {@code IJAVA_CLASSPATH}, {@code IJAVA_STARTUP_SCRIPTS_PATH},
 * {@code IJAVA_STARTUP_SCRIPT}, {@code IJAVA_TIMEOUT} (ms, -1 = none), {@code IJAVA_COMPILER_OPTS}.
 */
public final class JavaKernel extends BaseKernel {
    private static final Object NO_VALUE = new Object();

    private final JShell shell;
    private final MagicParser magicParser = new MagicParser();
    private final Magics magics = new Magics();
    private final MavenResolver maven = new MavenResolver();
    private final Set<String> classpath = new LinkedHashSet<>();
    private final long timeoutMillis;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cell-timeout");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopped;
    private volatile String stopReason;

    public JavaKernel(Map<String, String> env) throws Exception {
        List<String> compilerOpts = split(env.getOrDefault("IJAVA_COMPILER_OPTS", ""));
        this.shell = JShell.builder().executionEngine(new LocalExecutionControlProvider(), Map.of())
                .compilerOptions(compilerOpts.toArray(String[]::new)).build();
        this.timeoutMillis = parseTimeout(env.get("IJAVA_TIMEOUT"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addToClasspath(Path.of(entry));
            }
        }
        dev.sofim.kernel.api.Notebook.attach(this);
        evalJava("import static dev.sofim.kernel.api.Notebook.*;");
        registerMagics();
        for (String glob : split(env.getOrDefault("IJAVA_CLASSPATH", "").replace(File.pathSeparatorChar, ' '))) {
            addJars(glob);
        }
        for (String glob : split(env.getOrDefault("IJAVA_STARTUP_SCRIPTS_PATH", "").replace(File.pathSeparatorChar, ' '))) {
            for (Path p : new GlobFinder(glob).computeMatchingFiles()) {
                eval(Files.readString(p));
            }
        }
        String script = env.get("IJAVA_STARTUP_SCRIPT");
        if (script != null && !script.isBlank()) {
            eval(script);
        }
    }

    private void registerMagics() {
        magics.registerLineMagic("jars", args -> {
            for (String a : args) {
                addJars(a);
            }
            return null;
        });
        magics.registerLineMagic("classpath", args -> {
            for (String a : args) {
                addJars(a);
            }
            return null;
        });
        magics.registerLineMagic("maven", args -> {
            for (Path p : maven.resolve(args)) {
                addToClasspath(p);
            }
            return null;
        });
        magics.registerLineMagic("mavenRepo", args -> {
            if (args.size() != 2) {
                throw new IllegalArgumentException("%mavenRepo expects an id and a URL, got " + args);
            }
            maven.addRepository(args.get(0), args.get(1));
            return null;
        });
        // IJava 1.3.0 registers the base library's Load with these extensions and its own eval: the same here.
        magics.registerMagics(new Load(List.of(".jsh", ".jshell", ".java", ".ijava"), this::eval));
        magics.registerCellMagic("loadFromPOM", (args, body) -> {
            for (Path p : maven.resolvePom(body)) {
                addToClasspath(p);
            }
            return null;
        });
    }

    /** Adds the files matching a path or glob (IJava's {@code %jars}); a pattern matching nothing is an error. */
    public List<Path> addJars(String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        Path plain = Path.of(glob);
        if (!glob.contains("*") && !glob.contains("?") && Files.isDirectory(plain)) {
            found.add(plain);
        } else {
            try {
                new GlobFinder(glob).computeMatchingFiles().forEach(found::add);
            } catch (java.nio.file.NoSuchFileException e) {
                // reported below as matching nothing
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("%jars: no file matches '" + glob + "' (relative to "
                    + Path.of("").toAbsolutePath() + ")");
        }
        found.forEach(this::addToClasspath);
        return found;
    }

    private void addToClasspath(Path p) {
        String s = p.toAbsolutePath().normalize().toString();
        if (classpath.add(s)) {
            shell.addToClasspath(s);
        }
    }

    /** The classpath entries added so far (kernel, IJAVA_CLASSPATH, magics). */
    public List<String> classpath() {
        return List.copyOf(classpath);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo.Builder("Java").version(Runtime.version().toString()).mimetype("text/x-java-source")
                .fileExtension(".jshell").pygments("java").codemirror("java").build();
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " (sofim kernel, IJava-compatible, JShell)";
    }

    @Override
    public DisplayData eval(String code) throws Exception {
        CellMagicParseContext cell = magicParser.parseCellMagic(code);
        if (cell != null) {
            Object r = magics.applyCellMagic(cell.getMagicCall().getName(), cell.getMagicCall().getArgs(),
                    cell.getMagicCall().getBody());
            return r == null ? null : getRenderer().render(r);
        }
        List<Exception> failures = new ArrayList<>();
        String java = magicParser.transformLineMagics(code, ctx -> {
            if (failures.isEmpty()) {
                try {
                    magics.applyLineMagic(ctx.getMagicCall().getName(), ctx.getMagicCall().getArgs());
                } catch (Exception e) {
                    failures.add(e);
                }
            }
            return "";
        });
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        Object value = evalJava(java);
        return value == NO_VALUE ? null : render(value, new String[0]);
    }

    /**
     * Renders a value by IJava 1.3.0's rules and no others: the base kernel's renderer (images as PNG, URLs, text) and
     * {@code toString()} for everything else, so a cell shows here exactly what it shows on Binder (an XChart object is
     * its class name there; notebooks show charts as images, {@code Plots.image}).
     */
    public DisplayData render(Object value, String[] mimeTypes) {
        if (value instanceof DisplayData d) {
            return d;
        }
        return mimeTypes.length == 0 ? getRenderer().render(value) : getRenderer().renderAs(value, mimeTypes);
    }

    /** Evaluates Java source as a cell would; returns the value of its last expression, or null if it has none. */
    public Object evalValue(String code) throws Exception {
        Object v = evalJava(code);
        return v == NO_VALUE ? null : v;
    }

    private Object evalJava(String code) throws Exception {
        stopped = false;
        ScheduledFuture<?> timeout = timeoutMillis > 0 ? watchdog.schedule(() -> stop("the cell ran longer than IJAVA_TIMEOUT="
                + timeoutMillis + " ms"), timeoutMillis, TimeUnit.MILLISECONDS) : null;
        try {
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            String remaining = code;
            Object last = NO_VALUE;
            int offset = 0;
            while (!remaining.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    break;
                }
                if (!info.completeness().isComplete()) {
                    throw new CompilationException(List.of("incomplete code at the end of the cell: "
                            + remaining.strip().lines().findFirst().orElse("")), code);
                }
                String source = info.source();
                int consumed = remaining.length() - info.remaining().length();
                remaining = info.remaining();
                last = evalSnippet(source, remaining.isBlank(), code, offset);
                offset += consumed;
            }
            return last;
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }

    private Object evalSnippet(String source, boolean lastInCell, String cell, int offset) throws Exception {
        List<SnippetEvent> events = shell.eval(source);
        Object value = NO_VALUE;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            Snippet s = e.snippet();
            if (stopped) {
                throw new CellStoppedException(stopReason);
            }
            if (e.status() == Snippet.Status.REJECTED) {
                List<String> lines = new ArrayList<>();
                shell.diagnostics(s).forEach(d -> lines.add(CompilationException.describe(d, source, cell, offset)));
                throw new CompilationException(lines, cell);
            }
            if (e.exception() != null) {
                throw CellException.of(e.exception());
            }
            if (e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED || e.status() == Snippet.Status.RECOVERABLE_DEFINED) {
                List<String> missing = s instanceof jdk.jshell.DeclarationSnippet ds
                        ? shell.unresolvedDependencies(ds).toList() : List.of();
                if (!missing.isEmpty()) {
                    throw new CompilationException(List.of("cannot find symbol(s) " + missing + " in: " + source.strip()), cell);
                }
            }
            if (lastInCell) {
                String name = s instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND ? v.name()
                        : s instanceof ExpressionSnippet x ? x.name() : null;
                if (name != null) {
                    Capture.clear();
                    List<SnippetEvent> cap = shell.eval(Capture.class.getName() + ".put(" + name + ");");
                    cap.forEach(c -> shell.drop(c.snippet()));
                    value = Capture.take();
                }
            }
        }
        return value;
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof CompilationException c) {
            List<String> out = new ArrayList<>();
            out.add(errorStyler.primary("Compile error:"));
            c.lines().forEach(l -> out.add(errorStyler.secondary(l)));
            return out;
        }
        if (e instanceof CellException ce) {
            return ErrorText.of(ce.original(), errorStyler);
        }
        return super.formatError(e);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = {-1};
        List<String> options = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
        return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.Completeness c = shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
        if (c == SourceCodeAnalysis.Completeness.UNKNOWN) {
            return IS_COMPLETE_BAD;
        }
        // any other string means "incomplete", and is the indent of the next line
        return c.isComplete() || c == SourceCodeAnalysis.Completeness.EMPTY ? IS_COMPLETE_YES : "    ";
    }

    @Override
    public void interrupt() {
        stop("interrupted");
    }

    private void stop(String reason) {
        stopReason = reason;
        stopped = true;
        shell.stop();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        watchdog.shutdownNow();
        shell.close();
    }

    private static long parseTimeout(String v) {
        if (v == null || v.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("IJAVA_TIMEOUT must be milliseconds (-1 = none), got '" + v + "'");
        }
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }
}
