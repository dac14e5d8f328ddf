package dev.sofim.study;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.sofim.data.Dataset;
import dev.sofim.experiment.ConfigJson;
import dev.sofim.experiment.Metric;
import dev.sofim.experiment.Names;
import dev.sofim.experiment.OptimizerSpec;
import dev.sofim.experiment.Trainer;
import dev.sofim.models.ModelKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A study as data, on the model of MLCommons AlgoPerf (fixed workloads, a budget, the same number of quasi-random
 * tuning trials per method, targets fixed before the final runs) and DeepOBS (test problems, a tuning protocol,
 * reporting over seeds). In JSON ({@code toolkit/examples/studies/lenet.json} is the full one):
 * <pre>{@code
 * {"name": "lenet", "about": "why and what", "subject": "sofim",
 *  "trainer": "samediff", "seeds": [1, 2, 3],
 *  "tuning": {"trials": 16, "seed": 1, "sequenceSeed": 20240305, "edgeRule": true},
 *  "targets": {"reference": "sgd-momentum", "fractions": [0.25, 0.5, 1.0],
 *              "metrics": ["validation_loss", "validation_accuracy", "train_loss"]},
 *  "workloads": [{"name": "mnist", "dataset": "mnist", "model": "lenet", "batchSize": 128, "validationSize": 10000,
 *                 "budget": 3910, "budgetReason": "10 epochs of SGD at batch 128",
 *                 "tuningTarget": {"metric": "validation_accuracy", "value": 0.985, "reason": "..."}}],
 *  "methods": [{"name": "sgd-momentum", "type": "sgd",
 *               "space": {"learningRate": {"log": [0.003, 0.3]}, "momentum": {"linear": [0.8, 0.99]}},
 *               "fixed": {}, "schedule": {"type": "warmup-cosine", "warmupFraction": 0.05, "minFactor": 0}}]}
 * }</pre>
 * The {@code subject} (default: the first method) is compared with every other method, paired by seed.
 * Every knob of a method's type is in its {@code space} or in {@code fixed} with a reason; a method may run fewer final
 * seeds ({@code "seeds": 5}: the first five), the cut the protocol allows for the Newton-type methods. Validation is
 * strict: an unknown key, a missing knob or a bad value is an error naming it.
 */
public record StudySpec(String name, String about, Trainer trainer, List<Long> seeds, Tuning tuning, TargetRule targets,
                        List<Workload> workloads, List<Method> methods, String subject) {

    /** The tuning protocol: {@code trials} quasi-random points per method, on one seed, with the edge rule. */
    public record Tuning(int trials, long seed, long sequenceSeed, boolean edgeRule) {
        public Tuning {
            if (trials < 1) {
                throw new IllegalArgumentException("tuning.trials must be >= 1, got " + trials);
            }
        }
    }

    /**
     * How targets are derived (AlgoPerf-style): the levels the tuned {@code reference} method reaches (its best so far)
     * at each fraction of the budget on the validation split, for each metric.
     */
    public record TargetRule(String reference, List<Double> fractions, List<Metric> metrics) {
        public TargetRule {
            fractions = List.copyOf(fractions);
            metrics = List.copyOf(metrics);
            for (double f : fractions) {
                if (!(f > 0 && f <= 1)) {
                    throw new IllegalArgumentException("targets.fractions must be in (0, 1], got " + f);
                }
            }
            if (fractions.isEmpty() || metrics.isEmpty()) {
                throw new IllegalArgumentException("targets needs at least one fraction and one metric");
            }
        }
    }

    /** A target declared before tuning: what a tuning trial races to. */
    public record Goal(Metric metric, double value, String reason) {
    }

    /**
     * A workload: a dataset and model, a batch size, a budget in gradient evaluations (so that a Newton-type method
     * gets as many as a first-order one, in fewer steps), the validation split carved from the training set.
     */
    public record Workload(String name, Dataset dataset, ModelKind model, int batchSize, int trainSize, int validationSize,
                           int testSize, long budget, String budgetReason, int trainEvalSize, Goal tuningTarget) {
        public Workload {
            Names.check("workload name", name);
            if (budget < 1) {
                throw new IllegalArgumentException("workload " + name + ": budget must be >= 1 gradient evaluations, got " + budget);
            }
            if (validationSize < 1) {
                throw new IllegalArgumentException("workload " + name + ": validationSize must be >= 1 (tuning and targets "
                        + "use the validation split, never the test set), got " + validationSize);
            }
            if (budgetReason == null || budgetReason.isBlank()) {
                throw new IllegalArgumentException("workload " + name + ": budgetReason must say why the budget is what it is");
            }
        }
    }

    /** A fixed knob and why it is not searched. */
    public record Fixed(Object value, String reason) {
    }

    /** A schedule family, its lengths as fractions of the budget (constant: {@code type} "constant"). */
    public record Schedule(String type, double warmupFraction, double minFactor) {
        public static final Schedule CONSTANT = new Schedule("constant", 0, 0);

        public Schedule {
            if (!type.equals("constant") && !type.equals("warmup-cosine")) {
                throw new IllegalArgumentException("schedule type must be \"constant\" or \"warmup-cosine\", got '" + type + "'");
            }
        }
    }

    /** A method: an optimizer type, its search space, its fixed knobs with reasons, its schedule. */
    public record Method(String name, String type, Map<String, Knob> space, Map<String, Fixed> fixed, Schedule schedule,
                         Integer seeds) {
        public Method {
            Names.check("method name", name);
            space = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(space));
            fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
            List<String> knobs = OptimizerSpec.settingNames(type);
            for (String k : knobs) {
                if (!space.containsKey(k) && !fixed.containsKey(k)) {
                    throw new IllegalArgumentException("method " + name + ": knob '" + k + "' of type " + type
                            + " is neither in its space nor fixed with a reason; the type's knobs are " + knobs);
                }
                if (space.containsKey(k) && fixed.containsKey(k)) {
                    throw new IllegalArgumentException("method " + name + ": knob '" + k + "' is both searched and fixed");
                }
            }
            Set<String> given = new LinkedHashSet<>(space.keySet());
            given.addAll(fixed.keySet());
            for (String k : given) {
                if (!knobs.contains(k)) {
                    throw new IllegalArgumentException("method " + name + ": '" + k + "' is not a knob of type " + type
                            + "; expected some of " + knobs);
                }
            }
            for (Map.Entry<String, Fixed> f : fixed.entrySet()) {
                if (f.getValue().reason() == null || f.getValue().reason().isBlank()) {
                    throw new IllegalArgumentException("method " + name + ": fixed knob '" + f.getKey() + "' needs a reason");
                }
            }
            if (space.isEmpty()) {
                throw new IllegalArgumentException("method " + name + ": its space is empty (nothing to tune)");
            }
            if (seeds != null && seeds < 1) {
                throw new IllegalArgumentException("method " + name + ": seeds must be >= 1, got " + seeds);
            }
            schedule = schedule == null ? Schedule.CONSTANT : schedule;
            if (!schedule.type().equals("constant") && !OptimizerSpec.hasSchedule(type)) {
                throw new IllegalArgumentException("method " + name + ": type " + type + " has no learning-rate schedule "
                        + "(only the first-order rules do); use \"constant\"");
            }
        }

        /** The knobs searched, in file order. */
        public List<String> knobs() {
            return List.copyOf(space.keySet());
        }
    }

    public StudySpec {
        Names.check("study name", name);
        seeds = List.copyOf(seeds);
        workloads = List.copyOf(workloads);
        methods = List.copyOf(methods);
        if (seeds.isEmpty() || workloads.isEmpty() || methods.isEmpty()) {
            throw new IllegalArgumentException("a study needs seeds, workloads and methods");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds must be distinct, got " + seeds);
        }
        if (methods.stream().map(Method::name).distinct().count() != methods.size()) {
            throw new IllegalArgumentException("method names must be unique, got " + methods.stream().map(Method::name).toList());
        }
        if (workloads.stream().map(Workload::name).distinct().count() != workloads.size()) {
            throw new IllegalArgumentException("workload names must be unique");
        }
        subject = subject == null ? methods.get(0).name() : subject;
        String s = subject;
        if (methods.stream().noneMatch(m -> m.name().equals(s))) {
            throw new IllegalArgumentException("subject '" + subject + "' (the method compared with every other) is not a "
                    + "method of the study; expected one of " + methods.stream().map(Method::name).toList());
        }
        if (methods.stream().noneMatch(m -> m.name().equals(targets.reference()))) {
            throw new IllegalArgumentException("targets.reference '" + targets.reference() + "' is not a method of the study; "
                    + "expected one of " + methods.stream().map(Method::name).toList());
        }
    }

    /** The method with this name. */
    public Method method(String methodName) {
        return methods.stream().filter(m -> m.name().equals(methodName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method " + methodName + " in study " + name));
    }

    /** The final seeds of a method (all, or its first {@code seeds}). */
    public List<Long> seeds(Method m) {
        return m.seeds() == null ? seeds : seeds.subList(0, Math.min(m.seeds(), seeds.size()));
    }

    // ---------------------------------------------------------------- JSON

    private static final Set<String> TOP = Set.of("name", "about", "trainer", "seeds", "tuning", "targets", "workloads", "methods",
            "subject");
    private static final Set<String> TUNING = Set.of("trials", "seed", "sequenceSeed", "edgeRule");
    private static final Set<String> TARGETS = Set.of("reference", "fractions", "metrics");
    private static final Set<String> WORKLOAD = Set.of("name", "dataset", "model", "batchSize", "trainSize", "validationSize",
            "testSize", "budget", "budgetReason", "trainEvalSize", "tuningTarget");
    private static final Set<String> GOAL = Set.of("metric", "value", "reason");
    private static final Set<String> METHOD = Set.of("name", "type", "space", "fixed", "schedule", "seeds");
    private static final Set<String> SCHEDULE = Set.of("type", "warmupFraction", "minFactor");

    /** Reads a study file. */
    public static StudySpec read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("study file " + file + " does not exist");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static StudySpec parse(String json) {
        JsonObject o = ConfigJson.strictObject(json);
        keys("study", o, TOP, Set.of("name", "seeds", "tuning", "targets", "workloads", "methods"));
        List<Long> seeds = new ArrayList<>();
        for (JsonElement e : array(o, "seeds")) {
            seeds.add(whole("seeds[]", e));
        }
        JsonObject t = object(o, "tuning");
        keys("tuning", t, TUNING, Set.of("trials"));
        Tuning tuning = new Tuning((int) whole("tuning.trials", t.get("trials")),
                t.has("seed") ? whole("tuning.seed", t.get("seed")) : 1,
                t.has("sequenceSeed") ? whole("tuning.sequenceSeed", t.get("sequenceSeed")) : 1,
                !t.has("edgeRule") || bool("tuning.edgeRule", t.get("edgeRule")));
        JsonObject g = object(o, "targets");
        keys("targets", g, TARGETS, TARGETS);
        List<Double> fractions = new ArrayList<>();
        for (JsonElement e : g.getAsJsonArray("fractions")) {
            fractions.add(number("targets.fractions[]", e));
        }
        List<Metric> metrics = new ArrayList<>();
        for (JsonElement e : g.getAsJsonArray("metrics")) {
            metrics.add(metric("targets.metrics[]", e));
        }
        TargetRule rule = new TargetRule(string("targets.reference", g.get("reference")), fractions, metrics);
        List<Workload> workloads = new ArrayList<>();
        for (JsonElement e : array(o, "workloads")) {
            workloads.add(workload(e.getAsJsonObject()));
        }
        List<Method> methods = new ArrayList<>();
        for (JsonElement e : array(o, "methods")) {
            methods.add(method(e.getAsJsonObject()));
        }
        return new StudySpec(string("name", o.get("name")), o.has("about") ? string("about", o.get("about")) : "",
                o.has("trainer") ? Trainer.parse(string("trainer", o.get("trainer"))) : Trainer.DEFAULT, seeds, tuning, rule,
                workloads, methods, o.has("subject") ? string("subject", o.get("subject")) : null);
    }

    private static Workload workload(JsonObject w) {
        String n = w.has("name") ? w.get("name").getAsString() : "?";
        try {
            keys("workload", w, WORKLOAD, Set.of("name", "dataset", "model", "batchSize", "validationSize", "budget",
                    "budgetReason", "tuningTarget"));
            JsonObject goal = w.getAsJsonObject("tuningTarget");
            keys("tuningTarget", goal, GOAL, GOAL);
            return new Workload(string("name", w.get("name")), Dataset.byId(string("dataset", w.get("dataset"))),
                    model(string("model", w.get("model"))), (int) whole("batchSize", w.get("batchSize")),
                    w.has("trainSize") ? (int) whole("trainSize", w.get("trainSize")) : 0,
                    (int) whole("validationSize", w.get("validationSize")),
                    w.has("testSize") ? (int) whole("testSize", w.get("testSize")) : 0,
                    whole("budget", w.get("budget")), string("budgetReason", w.get("budgetReason")),
                    w.has("trainEvalSize") ? (int) whole("trainEvalSize", w.get("trainEvalSize")) : 0,
                    new Goal(metric("tuningTarget.metric", goal.get("metric")), number("tuningTarget.value", goal.get("value")),
                            string("tuningTarget.reason", goal.get("reason"))));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("workload " + n + ": " + e.getMessage(), e);
        }
    }

    private static Method method(JsonObject m) {
        String n = m.has("name") ? m.get("name").getAsString() : "?";
        try {
            keys("method", m, METHOD, Set.of("name", "type", "space"));
            Map<String, Knob> space = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> k : m.getAsJsonObject("space").entrySet()) {
                space.put(k.getKey(), knob(k.getKey(), k.getValue()));
            }
            Map<String, Fixed> fixed = new LinkedHashMap<>();
            if (m.has("fixed")) {
                for (Map.Entry<String, JsonElement> k : m.getAsJsonObject("fixed").entrySet()) {
                    JsonObject f = k.getValue().getAsJsonObject();
                    keys("fixed." + k.getKey(), f, Set.of("value", "reason"), Set.of("value", "reason"));
                    fixed.put(k.getKey(), new Fixed(primitive(f.get("value")), string("reason", f.get("reason"))));
                }
            }
            Schedule schedule = Schedule.CONSTANT;
            if (m.has("schedule")) {
                JsonObject s = m.getAsJsonObject("schedule");
                keys("schedule", s, SCHEDULE, Set.of("type"));
                schedule = new Schedule(string("schedule.type", s.get("type")),
                        s.has("warmupFraction") ? number("schedule.warmupFraction", s.get("warmupFraction")) : 0,
                        s.has("minFactor") ? number("schedule.minFactor", s.get("minFactor")) : 0);
            }
            return new Method(string("name", m.get("name")), string("type", m.get("type")), space, fixed, schedule,
                    m.has("seeds") ? (int) whole("seeds", m.get("seeds")) : null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("method " + n + ": " + e.getMessage().replace("method " + n + ": ", ""), e);
        }
    }

    private static Knob knob(String name, JsonElement e) {
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("space." + name + " must be an object such as {\"log\": [0.01, 1]}, got " + e);
        }
        JsonObject o = e.getAsJsonObject();
        keys("space." + name, o, Set.of("log", "linear", "choice", "integer"), Set.of());
        boolean integer = o.has("integer") && bool("space." + name + ".integer", o.get("integer"));
        try {
            if (o.has("log") || o.has("linear")) {
                JsonArray r = o.has("log") ? o.getAsJsonArray("log") : o.getAsJsonArray("linear");
                if (r.size() != 2) {
                    throw new IllegalArgumentException("a range is [lo, hi], got " + r);
                }
                return new Knob(o.has("log") ? Knob.Scale.LOG : Knob.Scale.LINEAR, number("lo", r.get(0)),
                        number("hi", r.get(1)), integer, null);
            }
            if (o.has("choice")) {
                List<Object> values = new ArrayList<>();
                for (JsonElement v : o.getAsJsonArray("choice")) {
                    values.add(primitive(v));
                }
                return new Knob(Knob.Scale.CHOICE, 0, 0, false, values);
            }
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("space." + name + ": " + x.getMessage(), x);
        }
        throw new IllegalArgumentException("space." + name + " needs one of \"log\", \"linear\" or \"choice\", got " + o);
    }

    /** The canonical JSON of this study (what a study folder's {@code study.json} holds). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("about", about);
        m.put("trainer", trainer.id());
        m.put("subject", subject);
        m.put("seeds", seeds);
        m.put("tuning", Map.of("trials", tuning.trials(), "seed", tuning.seed(), "sequenceSeed", tuning.sequenceSeed(),
                "edgeRule", tuning.edgeRule()));
        Map<String, Object> tg = new LinkedHashMap<>();
        tg.put("reference", targets.reference());
        tg.put("fractions", targets.fractions());
        tg.put("metrics", targets.metrics().stream().map(StudySpec::metricId).toList());
        m.put("targets", tg);
        List<Object> ws = new ArrayList<>();
        for (Workload w : workloads) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", w.name());
            x.put("dataset", w.dataset().id());
            x.put("model", w.model().name().toLowerCase(Locale.ROOT));
            x.put("batchSize", w.batchSize());
            x.put("trainSize", w.trainSize());
            x.put("validationSize", w.validationSize());
            x.put("testSize", w.testSize());
            x.put("budget", w.budget());
            x.put("budgetReason", w.budgetReason());
            x.put("trainEvalSize", w.trainEvalSize());
            Map<String, Object> goal = new LinkedHashMap<>();
            goal.put("metric", metricId(w.tuningTarget().metric()));
            goal.put("value", w.tuningTarget().value());
            goal.put("reason", w.tuningTarget().reason());
            x.put("tuningTarget", goal);
            ws.add(x);
        }
        m.put("workloads", ws);
        List<Object> ms = new ArrayList<>();
        for (Method me : methods) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", me.name());
            x.put("type", me.type());
            Map<String, Object> space = new LinkedHashMap<>();
            me.space().forEach((k, v) -> space.put(k, v.toMap()));
            x.put("space", space);
            Map<String, Object> fixed = new LinkedHashMap<>();
            me.fixed().forEach((k, v) -> fixed.put(k, Map.of("value", v.value(), "reason", v.reason())));
            x.put("fixed", fixed);
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("type", me.schedule().type());
            if (!me.schedule().type().equals("constant")) {
                sc.put("warmupFraction", me.schedule().warmupFraction());
                sc.put("minFactor", me.schedule().minFactor());
            }
            x.put("schedule", sc);
            if (me.seeds() != null) {
                x.put("seeds", me.seeds());
            }
            ms.add(x);
        }
        m.put("methods", ms);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(sortedMaps(m)) + "\n";
    }

    /** Map.of has no order: rewrite the small fixed maps in key order, so the JSON is canonical. */
    @SuppressWarnings("unchecked")
    private static Object sortedMaps(Object v) {
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = map instanceof LinkedHashMap ? new LinkedHashMap<>() : new java.util.TreeMap<>();
            ((Map<String, Object>) map).forEach((k, x) -> out.put(k, sortedMaps(x)));
            return out;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(StudySpec::sortedMaps).toList();
        }
        return v;
    }

    /** The study's name for a metric: train_loss, validation_loss, validation_accuracy (held-out = validation in tuning). */
    public static String metricId(Metric m) {
        return switch (m) {
            case TRAIN_LOSS -> "train_loss";
            case TEST_LOSS -> "validation_loss";
            case TEST_ACCURACY -> "validation_accuracy";
        };
    }

    private static Metric metric(String key, JsonElement e) {
        String v = string(key, e);
        for (Metric m : Metric.values()) {
            if (metricId(m).equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException(key + " must be train_loss, validation_loss or validation_accuracy, got '" + v + "'");
    }

    private static ModelKind model(String v) {
        for (ModelKind k : ModelKind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(v)) {
                return k;
            }
        }
        throw new IllegalArgumentException("model must be one of " + java.util.Arrays.stream(ModelKind.values())
                .map(k -> k.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + v + "'");
    }

    private static void keys(String where, JsonObject o, Set<String> allowed, Set<String> required) {
        for (String k : o.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "' in " + where + "; expected some of "
                        + allowed.stream().sorted().toList());
            }
        }
        for (String k : required) {
            if (!o.has(k)) {
                throw new IllegalArgumentException(where + " needs '" + k + "'");
            }
        }
    }

    private static JsonArray array(JsonObject o, String k) {
        if (!o.get(k).isJsonArray()) {
            throw new IllegalArgumentException(k + " must be a list, got " + o.get(k));
        }
        return o.getAsJsonArray(k);
    }

    private static JsonObject object(JsonObject o, String k) {
        if (!o.get(k).isJsonObject()) {
            throw new IllegalArgumentException(k + " must be an object, got " + o.get(k));
        }
        return o.getAsJsonObject(k);
    }

    private static String string(String key, JsonElement e) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(key + " must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static double number(String key, JsonElement e) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + e);
        }
        return e.getAsDouble();
    }

    private static long whole(String key, JsonElement e) {
        double v = number(key, e);
        if (v != Math.rint(v) || Math.abs(v) > 1e15) {
            throw new IllegalArgumentException(key + " must be a whole number, got " + e);
        }
        return (long) v;
    }

    private static boolean bool(String key, JsonElement e) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    private static Object primitive(JsonElement e) {
        if (!e.isJsonPrimitive()) {
            throw new IllegalArgumentException("expected a number, a string or true/false, got " + e);
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.isNumber() ? (Object) p.getAsDouble() : p.isBoolean() ? (Object) p.getAsBoolean() : p.getAsString();
    }
}
