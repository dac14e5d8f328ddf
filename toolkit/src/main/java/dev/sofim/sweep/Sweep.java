package dev.sofim.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.sofim.data.Checksums;
import dev.sofim.data.Dataset;
import dev.sofim.experiment.ConfigJson;
import dev.sofim.experiment.ExperimentConfig;
import dev.sofim.experiment.OptimizerSpec;
import dev.sofim.models.ModelKind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A sweep as data: a base experiment and named axes; its cells are the cross product of the axes, each a config with
 * one optimizer and one seed (without an {@code optimizer} or {@code seed} axis, every optimizer and every seed of the
 * base). Cells with the same resolved config are one cell. In JSON:
 * <pre>{@code
 * {"name": "lr-sweep", "base": "mnist-lenet-reduced.json",
 *  "axes": {"optimizer": ["sofim-paper", "sgd-momentum"], "learningRate": [0.01, 0.03, 0.1], "seed": [1, 2]}}
 * }</pre>
 * {@code base} is a config file (relative to the sweep file) or a config object. Every cell is resolved and validated
 * when the sweep is read, so a bad axis or value is an error naming it before anything runs.
 */
public record Sweep(String name, ExperimentConfig base, List<Axis> axes) {
    private static final Set<String> KEYS = Set.of("name", "base", "axes");

    public Sweep {
        dev.sofim.experiment.Names.check("sweep name", name);
        axes = List.copyOf(axes);
        List<String> seen = new ArrayList<>();
        for (Axis a : axes) {
            if (seen.contains(a.name())) {
                throw new IllegalArgumentException("sweep axis '" + a.name() + "' is given twice");
            }
            seen.add(a.name());
        }
        cells(base, axes);   // every cell valid, or an error naming the axis and the value
    }

    /**
     * The cells, optimizer by optimizer, then in axis order (the first axis varies slowest), without duplicates; an
     * axis scoped to one optimizer ({@code sofim.rho}, setting points) multiplies only that optimizer's cells.
     */
    public List<Cell> cells() {
        return cells(base, axes);
    }

    /** A sweep from Java: {@code Sweep.of("grid", base, Axis.of("learningRate", 0.1, 1.0), Axis.of("seed", 1, 2))}. */
    public static Sweep of(String name, ExperimentConfig base, Axis... axes) {
        return new Sweep(name, base, List.of(axes));
    }

    /** This sweep with the environment knobs ({@code SOFIM_EPOCHS}, …) applied to its base: the same code path. */
    public Sweep withEnvironment(Map<String, String> env) {
        return new Sweep(name, base.withEnvironment(env), axes);
    }

    /** The cell with the given id. */
    public Cell cell(String id) {
        return cells().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("sweep '" + name + "' has no cell " + id));
    }

    private static List<Cell> cells(ExperimentConfig base, List<Axis> axes) {
        List<Axis> all = new ArrayList<>(axes);
        if (all.stream().noneMatch(a -> a.kind() == Axis.Kind.OPTIMIZER)) {
            all.add(0, new Axis("optimizer", new ArrayList<>(base.optimizers().stream().map(OptimizerSpec::name).toList())));
        }
        if (all.stream().noneMatch(a -> a.kind() == Axis.Kind.SEED)) {
            all.add(new Axis("seed", new ArrayList<>(base.seeds())));
        }
        for (Axis a : all) {
            validateAxis(base, a);
        }
        Map<String, Cell> cells = new LinkedHashMap<>();
        Axis optimizers = all.stream().filter(x -> x.kind() == Axis.Kind.OPTIMIZER).findFirst().orElseThrow();
        for (Object o : optimizers.values()) {
            // only the axes that apply to this optimizer: an axis scoped to another one does not multiply its cells
            List<Axis> mine = new ArrayList<>();
            for (Axis x : all) {
                String scope = x.kind() == Axis.Kind.POINTS ? x.name() : x.onlyOptimizer();
                if (x.kind() == Axis.Kind.OPTIMIZER) {
                    mine.add(new Axis(x.name(), List.of(o)));
                } else if (scope == null || scope.equals(String.valueOf(o))) {
                    mine.add(x);
                }
            }
            refuseTwoAxesOnOneSetting(String.valueOf(o), mine);
            int[] at = new int[mine.size()];
            while (true) {
                Map<String, Object> coordinates = new LinkedHashMap<>();
                for (int i = 0; i < mine.size(); i++) {
                    coordinates.put(mine.get(i).name(), mine.get(i).values().get(at[i]));
                }
                Cell c = resolve(base, mine, coordinates);
                cells.putIfAbsent(c.id(), c);
                int k = mine.size() - 1;
                while (k >= 0 && ++at[k] == mine.get(k).values().size()) {
                    at[k] = 0;
                    k--;
                }
                if (k < 0) {
                    break;
                }
            }
        }
        return List.copyOf(cells.values());
    }

    /** Two axes that set one setting of one optimizer would label a cell with a value it did not train with. */
    private static void refuseTwoAxesOnOneSetting(String optimizer, List<Axis> axes) {
        Map<String, String> setBy = new LinkedHashMap<>();
        for (Axis x : axes) {
            java.util.Set<String> settings = new java.util.LinkedHashSet<>();
            if (x.kind() == Axis.Kind.SETTING) {
                settings.add(x.setting());
            } else if (x.kind() == Axis.Kind.POINTS) {
                x.values().forEach(v -> ((Map<?, ?>) v).keySet().forEach(k -> settings.add(String.valueOf(k))));
            }
            for (String s : settings) {
                String other = setBy.putIfAbsent(s, x.name());
                if (other != null) {
                    throw new IllegalArgumentException("sweep axes '" + other + "' and '" + x.name() + "' both set "
                            + optimizer + "'s " + s + "; keep one of them");
                }
            }
        }
    }

    private static void validateAxis(ExperimentConfig base, Axis a) {
        List<String> names = base.optimizers().stream().map(OptimizerSpec::name).toList();
        switch (a.kind()) {
            case OPTIMIZER -> a.values().forEach(v -> {
                if (!names.contains(String.valueOf(v))) {
                    throw new IllegalArgumentException("sweep axis 'optimizer': '" + v + "' is not an optimizer of the base "
                            + "config; expected some of " + names);
                }
            });
            case POINTS -> {
                OptimizerSpec o = base.optimizers().stream().filter(x -> x.name().equals(a.name())).findFirst().orElseThrow(() ->
                        new IllegalArgumentException("sweep axis '" + a.name() + "': setting points belong to an optimizer of "
                                + "the base config; expected one of " + names));
                for (Object v : a.values()) {
                    for (Object k : ((Map<?, ?>) v).keySet()) {
                        if (!o.settings().containsKey(String.valueOf(k)) || k.equals("type")) {
                            throw new IllegalArgumentException("sweep axis '" + a.name() + "': optimizer '" + a.name()
                                    + "' has no setting " + k);
                        }
                    }
                }
            }
            case SETTING -> {
                String only = a.onlyOptimizer();
                if (only != null && !names.contains(only)) {
                    throw new IllegalArgumentException("sweep axis '" + a.name() + "': the base config has no optimizer '"
                            + only + "'; expected <optimizer>.<setting> with an optimizer of " + names);
                }
                boolean someHaveIt = base.optimizers().stream().filter(o -> only == null || o.name().equals(only))
                        .anyMatch(o -> o.settings().containsKey(a.setting()));
                if (!someHaveIt) {
                    throw new IllegalArgumentException("unknown sweep axis '" + a.name() + "': not optimizer, seed, epochs, "
                            + "batchSize, trainSize, dataset, model, nor a setting of " + (only == null ? "any optimizer of "
                            + names : "optimizer '" + only + "'"));
                }
            }
            default -> {
            }
        }
    }

    /** A cell's config: the base with the coordinates applied, one optimizer, one seed. */
    private static Cell resolve(ExperimentConfig base, List<Axis> axes, Map<String, Object> coordinates) {
        String optimizerName = String.valueOf(coordinates.get("optimizer"));
        OptimizerSpec opt = base.optimizer(optimizerName);
        Map<String, Object> settings = new LinkedHashMap<>(opt.settings());
        String type = (String) settings.remove("type");
        ExperimentConfig.Builder b = base.toBuilder();
        Map<String, Object> used = new LinkedHashMap<>();
        for (Axis a : axes) {
            Object v = coordinates.get(a.name());
            try {
                switch (a.kind()) {
                    case OPTIMIZER -> used.put(a.name(), v);
                    case SEED -> {
                        b.seeds(Axis.whole(a, v));
                        used.put(a.name(), v);
                    }
                    case EPOCHS -> {
                        b.epochs(Math.toIntExact(Axis.whole(a, v)));
                        used.put(a.name(), v);
                    }
                    case BATCH_SIZE -> {
                        b.batchSize(Math.toIntExact(Axis.whole(a, v)));
                        used.put(a.name(), v);
                    }
                    case TRAIN_SIZE -> {
                        b.trainSize(Math.toIntExact(Axis.whole(a, v)));
                        used.put(a.name(), v);
                    }
                    case DATASET -> {
                        b.dataset(Dataset.byId(String.valueOf(v)));
                        used.put(a.name(), v);
                    }
                    case MODEL -> {
                        b.model(model(String.valueOf(v)));
                        used.put(a.name(), v);
                    }
                    case POINTS -> {
                        if (a.name().equals(optimizerName)) {
                            ((Map<?, ?>) v).forEach((k, x) -> settings.put(String.valueOf(k), x));
                            used.put(a.name(), v);
                        }
                    }
                    case SETTING -> {
                        String only = a.onlyOptimizer();
                        if ((only == null || only.equals(optimizerName))) {
                            if (!settings.containsKey(a.setting())) {
                                throw new IllegalArgumentException("optimizer '" + optimizerName + "' (type " + type
                                        + ") has no setting " + a.setting() + "; sweep it as <optimizer>.<setting> for the "
                                        + "optimizers that have it");
                            }
                            settings.put(a.setting(), v);
                            used.put(a.name(), v);
                        }
                    }
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException("sweep axis '" + a.name() + "' = " + v + ": " + e.getMessage(), e);
            }
        }
        ExperimentConfig config;
        try {
            b.optimizers(List.of(OptimizerSpec.of(optimizerName, type, settings)));
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sweep cell " + used + " is not a valid experiment: " + e.getMessage(), e);
        }
        String id = Checksums.sha256(ConfigJson.toJson(config).getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        return new Cell(id, used, config);
    }

    private static ModelKind model(String v) {
        return java.util.Arrays.stream(ModelKind.values()).filter(m -> m.name().toLowerCase(Locale.ROOT).equals(v))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown model '" + v + "'; expected one of "
                        + java.util.Arrays.stream(ModelKind.values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList()));
    }

    /** Reads a sweep file; a relative {@code base} path is resolved against the sweep file's folder. */
    public static Sweep read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such sweep file");
        }
        try {
            return parse(text, file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a sweep; a {@code base} given as a path is read relative to {@code dir}. */
    public static Sweep parse(String json, Path dir) throws IOException {
        JsonObject o = ConfigJson.strictObject(json);
        for (String k : o.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown sweep key '" + k + "'; expected some of " + KEYS.stream().sorted().toList());
            }
        }
        for (String k : KEYS) {
            if (!o.has(k)) {
                throw new IllegalArgumentException("sweep key '" + k + "' is missing");
            }
        }
        JsonElement b = o.get("base");
        ExperimentConfig base;
        if (b.isJsonObject()) {
            base = ConfigJson.parse(b.toString());
        } else if (b.isJsonPrimitive() && b.getAsJsonPrimitive().isString()) {
            base = ConfigJson.read(dir.resolve(b.getAsString()));
        } else {
            throw new IllegalArgumentException("sweep key 'base' must be a config object or a config file's path, got " + b);
        }
        if (!o.get("axes").isJsonObject()) {
            throw new IllegalArgumentException("sweep key 'axes' must be an object of named value lists, got " + o.get("axes"));
        }
        List<Axis> axes = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("axes").entrySet()) {
            if (!e.getValue().isJsonArray()) {
                throw new IllegalArgumentException("sweep axis '" + e.getKey() + "' must be a list of values, got " + e.getValue());
            }
            List<Object> values = new ArrayList<>();
            for (JsonElement v : e.getValue().getAsJsonArray()) {
                if (v.isJsonObject()) {
                    Map<String, Object> point = new LinkedHashMap<>();
                    for (Map.Entry<String, JsonElement> x : v.getAsJsonObject().entrySet()) {
                        point.put(x.getKey(), primitive(e.getKey(), x.getValue()));
                    }
                    values.add(point);
                } else {
                    values.add(primitive(e.getKey(), v));
                }
            }
            axes.add(new Axis(e.getKey(), values));
        }
        JsonElement n = o.get("name");
        if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("sweep key 'name' must be a string, got " + n);
        }
        return new Sweep(n.getAsString(), base, axes);
    }

    private static Object primitive(String axis, JsonElement v) {
        if (!v.isJsonPrimitive()) {
            throw new IllegalArgumentException("sweep axis '" + axis + "': values must be numbers, strings, booleans or "
                    + "objects of settings, got " + v);
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        return p.isNumber() ? (Object) p.getAsDouble() : p.isBoolean() ? (Object) p.getAsBoolean() : p.getAsString();
    }

    /** The sweep with its base inline: what a results folder keeps, re-readable without the original files. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.add("base", ConfigJson.strictObject(ConfigJson.toJson(base)));
        JsonObject ax = new JsonObject();
        for (Axis a : axes) {
            JsonArray arr = new JsonArray();
            for (Object v : a.values()) {
                if (v instanceof Map<?, ?> point) {
                    JsonObject obj = new JsonObject();
                    point.forEach((k, x) -> obj.add(String.valueOf(k), json(x)));
                    arr.add(obj);
                } else {
                    arr.add(json(v));
                }
            }
            ax.add(a.name(), arr);
        }
        o.add("axes", ax);
        return ConfigJson.pretty(o);
    }

    private static JsonElement json(Object v) {
        return v instanceof Number num ? new JsonPrimitive(num) : v instanceof Boolean bool ? new JsonPrimitive(bool)
                : new JsonPrimitive(String.valueOf(v));
    }

    /**
     * What running the sweep costs, before it runs: cells, optimizer steps and mini-batch gradient evaluations (a
     * Newton-type step counts its extra evaluations), summed over the cells.
     */
    public String plan() {
        StringBuilder sb = new StringBuilder();
        long steps = 0;
        double evaluations = 0;
        List<Cell> cells = cells();
        for (Cell c : cells) {
            ExperimentConfig k = c.config();
            int train = k.data().trainSize() > 0 ? k.data().trainSize() : -1;
            long s = train > 0 ? (long) k.epochs() * ((train + k.batchSize() - 1) / k.batchSize()) : -1;
            double perStep = k.optimizers().get(0).rule().evaluationsPerStep();
            sb.append(String.format(Locale.ROOT, "%s  %-60s %s%n", c.id(), c.coordinates(),
                    s < 0 ? "(full training set)" : String.format(Locale.ROOT, "%d steps, %.0f gradient evaluations", s, s * perStep)));
            if (s > 0) {
                steps += s;
                evaluations += s * perStep;
            }
        }
        sb.append(String.format(Locale.ROOT, "%d cells; %d steps and %.0f mini-batch gradient evaluations in the cells with "
                + "a set training size%n", cells.size(), steps, evaluations));
        return sb.toString();
    }
}
