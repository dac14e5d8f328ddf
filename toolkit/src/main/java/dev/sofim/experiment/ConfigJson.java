package dev.sofim.experiment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import dev.sofim.data.DataOptions;
import dev.sofim.data.Dataset;
import dev.sofim.models.ModelKind;
import dev.sofim.optim.Reading;
import dev.sofim.optim.Sofim;

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
 * Reads and writes {@link ExperimentConfig} as JSON, strictly: an unknown key, a wrong type or a bad
 * value is an {@link IllegalArgumentException} naming the key and what was expected. Writing then
 * reading gives an equal config. Example:
 * <pre>{@code
 * {"name": "mnist-lenet", "dataset": "mnist", "model": "lenet", "epochs": 10, "batchSize": 128,
 *  "seeds": [1, 2, 3],
 *  "data": {"trainSize": 0, "validationSize": 0, "testSize": 0, "shuffleSeed": 0, "normalization": "UNIT"},
 *  "optimizers": [{"name": "sofim", "type": "sofim", "learningRate": 0.05, "rho": 10}],
 *  "targets": {"testAccuracy": 0.98}}
 * }</pre>
 * Omitted optional keys take defaults: {@code dataDir} null, {@code data} full sets,
 * {@code fullTrainLoss} false, {@code evaluateOn} "test", no targets, {@code evalEvery} 0 (40 evaluation points over the
 * budget), {@code trainEvalSize} 0 (up to 5,000 training images), {@code maxGradientEvaluations} 0 (no budget beyond the
 * epochs), {@code trainer} "dl4j" (unlike configs built in
 * code, whose default is "samediff": a file without the key is one written before that trainer existed, and its
 * results folder keeps its name); a SOFIM optimizer without
 * {@code reading} is the paper reading, except in the {@code config.json} of a results folder written
 * before readings existed (it has a {@code run.json} beside it), where it means
 * {@link Sofim#LEGACY_READING}: that is the rule those results were computed with.
 */
public final class ConfigJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
    private static final Set<String> TOP = Set.of("name", "dataset", "dataDir", "data", "model", "epochs", "batchSize",
            "seeds", "optimizers", "targets", "fullTrainLoss", "evaluateOn", "divergenceFactor", "trainer", "evalEvery", "trainEvalSize",
            "maxGradientEvaluations");
    private static final Set<String> DATA = Set.of("trainSize", "validationSize", "testSize", "shuffleSeed",
            "normalization");
    private static final Set<String> TARGETS = Set.of("trainLoss", "testLoss", "testAccuracy");

    private ConfigJson() {
    }

    public static ExperimentConfig read(Path file) throws IOException {
        String text;
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("config file " + file + " is a folder; expected a JSON file"
                    + (Files.exists(file.resolve("config.json")) ? " (a results folder's config is " + file.resolve("config.json") + ")" : ""));
        }
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new IOException("cannot read config file " + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        boolean resultsFolder = file.getFileName() != null && file.getFileName().toString().equals("config.json")
                && Files.exists(file.resolveSibling("run.json"));
        try {
            return parse(text, resultsFolder ? Sofim.LEGACY_READING : Sofim.DEFAULT_READING);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static ExperimentConfig parse(String json) {
        return parse(json, Sofim.DEFAULT_READING);
    }

    /** Parses with {@code missingReading} for SOFIM optimizers that do not name their reading. */
    static ExperimentConfig parse(String json, Reading missingReading) {
        JsonObject o = strictObject(json);
        checkKeys("config", o, TOP);
        DataOptions data = o.has("data") ? data(object(o, "data")) : DataOptions.full();
        List<Long> seeds = new ArrayList<>();
        for (JsonElement e : array(o, "seeds")) {
            seeds.add(wholeNumber("seeds[]", e));
        }
        List<OptimizerSpec> optimizers = new ArrayList<>();
        for (JsonElement e : array(o, "optimizers")) {
            optimizers.add(optimizer(e, missingReading));
        }
        return new ExperimentConfig(string(o, "name", true), Dataset.byId(string(o, "dataset", true)),
                string(o, "dataDir", false), data, model(string(o, "model", true)),
                intNumber("epochs", required(o, "epochs")), intNumber("batchSize", required(o, "batchSize")),
                seeds, optimizers, o.has("targets") ? targets(object(o, "targets")) : null,
                o.has("fullTrainLoss") && bool(o, "fullTrainLoss"), evaluateOn(o),
                o.has("divergenceFactor") ? number("divergenceFactor", o.get("divergenceFactor"))
                        : ExperimentConfig.DEFAULT_DIVERGENCE_FACTOR,
                o.has("trainer") ? Trainer.parse(string(o, "trainer", true)) : Trainer.UNNAMED,
                o.has("evalEvery") ? intNumber("evalEvery", o.get("evalEvery")) : 0,
                o.has("trainEvalSize") ? intNumber("trainEvalSize", o.get("trainEvalSize")) : 0,
                o.has("maxGradientEvaluations") ? wholeNumber("maxGradientEvaluations", o.get("maxGradientEvaluations")) : 0);
    }

    public static String toJson(ExperimentConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("dataset", c.dataset().id());
        m.put("dataDir", c.dataDir());
        m.put("model", c.model().name().toLowerCase(Locale.ROOT));
        m.put("epochs", c.epochs());
        m.put("batchSize", c.batchSize());
        m.put("seeds", c.seeds());
        m.put("fullTrainLoss", c.fullTrainLoss());
        m.put("evaluateOn", c.evaluateOn().name().toLowerCase(Locale.ROOT));
        if (c.divergenceFactor() != ExperimentConfig.DEFAULT_DIVERGENCE_FACTOR) {
            // Written only when set: configs (and their results folders' names) from before the rule stay as they were.
            m.put("divergenceFactor", c.divergenceFactor());
        }
        if (c.trainer() != Trainer.UNNAMED) {
            // Written only when not DL4J: configs (and their results folders' names) from before the SameDiff trainer
            // stay as they were, and a file without the key is read back as DL4J.
            m.put("trainer", c.trainer().id());
        }
        // Written only when set, like the two above.
        if (c.evalEvery() != 0) {
            m.put("evalEvery", c.evalEvery());
        }
        if (c.trainEvalSize() != 0) {
            m.put("trainEvalSize", c.trainEvalSize());
        }
        if (c.maxGradientEvaluations() != 0) {
            m.put("maxGradientEvaluations", c.maxGradientEvaluations());
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("trainSize", c.data().trainSize());
        d.put("validationSize", c.data().validationSize());
        d.put("testSize", c.data().testSize());
        d.put("shuffleSeed", c.data().shuffleSeed());
        d.put("normalization", c.data().normalization().name());
        m.put("data", d);
        List<Map<String, Object>> opts = new ArrayList<>();
        for (OptimizerSpec s : c.optimizers()) {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("name", s.name());
            om.putAll(s.settings());
            opts.add(om);
        }
        m.put("optimizers", opts);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("trainLoss", c.targets().trainLoss());
        t.put("testLoss", c.targets().testLoss());
        t.put("testAccuracy", c.targets().testAccuracy());
        m.put("targets", t);
        return GSON.toJson(m) + "\n";
    }

    /** A JSON tree of any value, for the results metadata (same pretty printing). */
    public static String pretty(Object value) {
        return GSON.toJson(value) + "\n";
    }

    private static ExperimentConfig.EvaluateOn evaluateOn(JsonObject o) {
        String v = string(o, "evaluateOn", false);
        if (v == null) {
            return ExperimentConfig.EvaluateOn.TEST;
        }
        try {
            return ExperimentConfig.EvaluateOn.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("evaluateOn must be \"test\" or \"validation\", got '" + v + "'");
        }
    }

    private static OptimizerSpec optimizer(JsonElement e, Reading missingReading) {
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("optimizers[] entries must be objects, got " + e);
        }
        JsonObject o = e.getAsJsonObject();
        String name = string(o, "name", true);
        String type = string(o, "type", true);
        Map<String, Object> settings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> s : o.entrySet()) {
            if (s.getKey().equals("name") || s.getKey().equals("type")) {
                continue;
            }
            JsonElement v = s.getValue();
            if (s.getKey().equals("schedule") && v.isJsonObject()) {
                Map<String, Object> schedule = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> k : v.getAsJsonObject().entrySet()) {
                    JsonElement x = k.getValue();
                    if (!x.isJsonPrimitive()) {
                        throw new IllegalArgumentException("optimizer '" + name + "': schedule." + k.getKey()
                                + " must be a number or a string, got " + x);
                    }
                    schedule.put(k.getKey(), x.getAsJsonPrimitive().isNumber() ? (Object) x.getAsDouble() : x.getAsString());
                }
                settings.put("schedule", schedule);
                continue;
            }
            if (!v.isJsonPrimitive()) {
                throw new IllegalArgumentException("optimizer '" + name + "': " + s.getKey()
                        + " must be a number, a boolean or a string, got " + v);
            }
            JsonPrimitive p = v.getAsJsonPrimitive();
            settings.put(s.getKey(), p.isNumber() ? (Object) p.getAsDouble()
                    : p.isBoolean() ? (Object) p.getAsBoolean() : p.getAsString());
        }
        if (type.equals("sofim")) {
            settings.putIfAbsent("reading", missingReading.name());
        }
        return OptimizerSpec.of(name, type, settings);
    }

    private static DataOptions data(JsonObject o) {
        checkKeys("data", o, DATA);
        String norm = o.has("normalization") ? string(o, "normalization", true).toUpperCase(Locale.ROOT) : "UNIT";
        DataOptions.Normalization n;
        try {
            n = DataOptions.Normalization.valueOf(norm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data.normalization must be UNIT or STANDARDIZE, got '" + norm + "'");
        }
        return new DataOptions(intOr(o, "data.", "trainSize", 0), intOr(o, "data.", "validationSize", 0),
                intOr(o, "data.", "testSize", 0),
                o.has("shuffleSeed") ? wholeNumber("data.shuffleSeed", o.get("shuffleSeed")) : 0, n);
    }

    private static Targets targets(JsonObject o) {
        checkKeys("targets", o, TARGETS);
        return new Targets(optionalNumber(o, "trainLoss"), optionalNumber(o, "testLoss"),
                optionalNumber(o, "testAccuracy"));
    }

    private static ModelKind model(String s) {
        try {
            return ModelKind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model '" + s + "'; expected one of "
                    + java.util.Arrays.stream(ModelKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    private static void checkKeys(String where, JsonObject o, Set<String> allowed) {
        for (String k : o.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "'; expected some of "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static JsonElement required(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("missing required key '" + key + "'");
        }
        return e;
    }

    private static String string(JsonObject o, String key, boolean required) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new IllegalArgumentException("missing required key '" + key + "'");
            }
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(key + " must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static boolean bool(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = required(o, key);
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(key + " must be an object, got " + e);
        }
        return e.getAsJsonObject();
    }

    private static JsonArray array(JsonObject o, String key) {
        JsonElement e = required(o, key);
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException(key + " must be a list, got " + e);
        }
        return e.getAsJsonArray();
    }

    /**
     * Strict JSON (RFC 8259: no comments, unquoted keys or names, single quotes, trailing text), one object, and no
     * key twice in one object (RFC 8259 leaves duplicates to the reader; here {@code "epochs": 1, "epochs": 3} is an
     * error naming the key's path, not 3). GSON's own {@code fromJson} and {@code JsonParser} are lenient whatever
     * they are told, and keep the last of duplicate keys.
     */
    public static JsonObject strictObject(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("empty config; expected a JSON object");
        }
        try {
            com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader(json));
            reader.setLenient(false);
            JsonElement e = readStrict(reader, "");
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("not valid JSON: text after the config object at " + reader.getPath());
            }
            if (e == null || !e.isJsonObject()) {
                throw new IllegalArgumentException("a config must be a JSON object, got " + e);
            }
            return e.getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("not valid JSON (strict: no comments, quoted keys): " + e.getMessage(), e);
        }
    }

    /** One JSON value from a strict reader; a key that repeats in its object is an error naming its path. */
    private static JsonElement readStrict(com.google.gson.stream.JsonReader reader, String path) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject o = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    String key = reader.nextName();
                    String at = path.isEmpty() ? key : path + "." + key;
                    if (o.has(key)) {
                        throw new IllegalArgumentException("duplicate key " + at
                                + ": each key may appear once in an object (the reader would otherwise keep one silently); delete one");
                    }
                    o.add(key, readStrict(reader, at));
                }
                reader.endObject();
                return o;
            }
            case BEGIN_ARRAY -> {
                JsonArray a = new JsonArray();
                reader.beginArray();
                for (int i = 0; reader.hasNext(); i++) {
                    a.add(readStrict(reader, path + "[" + i + "]"));
                }
                reader.endArray();
                return a;
            }
            default -> {
                return GSON.getAdapter(JsonElement.class).read(reader);
            }
        }
    }

    /** An exact whole number in the range of a long (a seed); the key path names it in the error. */
    private static long wholeNumber(String key, JsonElement e) {
        return wholeNumber(key, e, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An exact whole number in the range of an int (a count or size): 4294967297 is an error, not 1. */
    private static int intNumber(String key, JsonElement e) {
        return (int) wholeNumber(key, e, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** The JSON number read exactly (no rounding through double), whole and in [min, max], or an error naming the key. */
    private static long wholeNumber(String key, JsonElement e, long min, long max) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            java.math.BigDecimal d;
            try {
                d = new java.math.BigDecimal(e.getAsString());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException(key + " must be a whole number, got " + e);
            }
            try {
                long v = d.longValueExact();
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (ArithmeticException x) {
                // not whole, or beyond a long: the range error below
            }
            throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max + ", got " + e);
        }
        throw new IllegalArgumentException(key + " must be a whole number, got " + e);
    }

    private static int intOr(JsonObject o, String path, String key, int dflt) {
        return o.has(key) ? intNumber(path + key, o.get(key)) : dflt;
    }

    private static double number(String key, JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + e);
        }
        return e.getAsDouble();
    }

    private static Double optionalNumber(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : number("targets." + key, e);
    }
}
