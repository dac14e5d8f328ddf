package dev.sofim.experiment;

import dev.sofim.optim.AdaHessian;
import dev.sofim.optim.Adam;
import dev.sofim.optim.Lbfgs;
import dev.sofim.optim.NystromSgd;
import dev.sofim.optim.OracleRule;
import dev.sofim.optim.Rule;
import dev.sofim.optim.LearningRateSchedule;
import dev.sofim.optim.Reading;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.UpdateRule;
import dev.sofim.optim.Variant;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A named optimizer of an experiment: a label for plots and tables, and its core rule. In configs:
 * {@code {"name": "sofim", "type": "sofim", "learningRate": 5, "rho": 10, "reading": "PAPER", ...}} with
 * type one of {@code sofim, sgd, nesterov, adam} (first-order) or {@code adahessian, lbfgs, nystrom-sgd}
 * (Newton-type, run by the toolkit's oracle step); omitted settings take the rule's defaults (for SOFIM
 * the paper reading, for the Newton-type methods their references').
 */
public record OptimizerSpec(String name, Rule rule) {
    static final Map<String, Set<String>> FIELDS = Map.of(
            "sofim", Set.of("learningRate", "beta", "rho", "reading", "variant", "scope"),
            "sgd", Set.of("learningRate", "momentum"),
            "nesterov", Set.of("learningRate", "momentum"),
            "adam", Set.of("learningRate", "beta1", "beta2", "epsilon"),
            "adahessian", Set.of("learningRate", "beta1", "beta2", "epsilon", "hessianPower", "hessianInterval",
                    "spatialAveraging"),
            "lbfgs", Set.of("learningRate", "history", "curvatureEpsilon", "lineSearch"),
            "nystrom-sgd", Set.of("learningRate", "rank", "refreshInterval", "rho"));

    public OptimizerSpec {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("optimizer name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (rule == null) {
            throw new IllegalArgumentException("optimizer '" + name + "': rule must not be null");
        }
    }


    /** Builds a spec from a type and settings (numbers or strings), rejecting unknown settings. */
    public static OptimizerSpec of(String name, String type, Map<String, Object> settings) {
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            throw new IllegalArgumentException("optimizer '" + name + "': unknown type '" + type + "'; expected one of "
                    + FIELDS.keySet().stream().sorted().toList());
        }
        for (String k : settings.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("optimizer '" + name + "': unknown setting '" + k + "' for type "
                        + type + "; expected some of " + allowed.stream().sorted().toList());
            }
        }
        try {
            return new OptimizerSpec(name, rule(type, settings));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("optimizer '") ? e
                    : new IllegalArgumentException("optimizer '" + name + "': " + e.getMessage(), e);
        }
    }

    private static Rule rule(String type, Map<String, Object> settings) {
        LearningRateSchedule c = LearningRateSchedule.constant();
        return switch (type) {
            case "sofim" -> new Sofim(num(settings, "learningRate", Sofim.DEFAULT_LEARNING_RATE),
                    num(settings, "beta", Sofim.DEFAULT_BETA), num(settings, "rho", Sofim.DEFAULT_RHO),
                    enumOf(Reading.class, settings.getOrDefault("reading", Sofim.DEFAULT_READING.name())),
                    enumOf(Variant.class, settings.getOrDefault("variant", "FULL")),
                    enumOf(Scope.class, settings.getOrDefault("scope", "GLOBAL")), 0, c);
            case "sgd" -> new Sgd(num(settings, "learningRate", Sgd.DEFAULT_LEARNING_RATE),
                    num(settings, "momentum", Sgd.DEFAULT_MOMENTUM), false, 0, c);
            case "nesterov" -> new Sgd(num(settings, "learningRate", Sgd.DEFAULT_LEARNING_RATE),
                    num(settings, "momentum", Sgd.DEFAULT_MOMENTUM), true, 0, c);
            case "adam" -> new Adam(num(settings, "learningRate", Adam.DEFAULT_LEARNING_RATE),
                    num(settings, "beta1", Adam.DEFAULT_BETA1), num(settings, "beta2", Adam.DEFAULT_BETA2),
                    num(settings, "epsilon", Adam.DEFAULT_EPSILON), 0, c);
            case "adahessian" -> new AdaHessian(num(settings, "learningRate", AdaHessian.DEFAULT_LEARNING_RATE),
                    num(settings, "beta1", AdaHessian.DEFAULT_BETA1), num(settings, "beta2", AdaHessian.DEFAULT_BETA2),
                    num(settings, "epsilon", AdaHessian.DEFAULT_EPSILON),
                    num(settings, "hessianPower", AdaHessian.DEFAULT_HESSIAN_POWER),
                    integer(settings, "hessianInterval", AdaHessian.DEFAULT_HESSIAN_INTERVAL),
                    bool(settings, "spatialAveraging", true));
            case "lbfgs" -> new Lbfgs(num(settings, "learningRate", Lbfgs.DEFAULT_LEARNING_RATE),
                    integer(settings, "history", Lbfgs.DEFAULT_HISTORY),
                    num(settings, "curvatureEpsilon", Lbfgs.DEFAULT_CURVATURE_EPSILON), bool(settings, "lineSearch", false));
            case "nystrom-sgd" -> new NystromSgd(num(settings, "learningRate", NystromSgd.DEFAULT_LEARNING_RATE),
                    integer(settings, "rank", NystromSgd.DEFAULT_RANK),
                    integer(settings, "refreshInterval", NystromSgd.DEFAULT_REFRESH_INTERVAL),
                    num(settings, "rho", NystromSgd.DEFAULT_RHO));
            default -> throw new IllegalStateException("no rule for type " + type);
        };
    }

    /** The type and every setting, as written to configs (the inverse of {@link #of}). */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        // A switch expression over the kind: it must name every rule, so a new one cannot be missed here.
        Map<String, Object> k = new LinkedHashMap<>();
        String type = switch (rule.kind()) {
            case SOFIM -> {
                Sofim s = (Sofim) rule;
                k.put("learningRate", s.learningRate());
                k.put("beta", s.beta());
                k.put("rho", s.rho());
                k.put("reading", s.reading().name());
                k.put("variant", s.variant().name());
                k.put("scope", s.scope().name());
                yield "sofim";
            }
            case SGD -> {
                Sgd s = (Sgd) rule;
                k.put("learningRate", s.learningRate());
                k.put("momentum", s.momentum());
                yield s.nesterov() ? "nesterov" : "sgd";
            }
            case ADAM -> {
                Adam a = (Adam) rule;
                k.put("learningRate", a.learningRate());
                k.put("beta1", a.beta1());
                k.put("beta2", a.beta2());
                k.put("epsilon", a.epsilon());
                yield "adam";
            }
            case ADAHESSIAN -> {
                AdaHessian a = (AdaHessian) rule;
                k.put("learningRate", a.learningRate());
                k.put("beta1", a.beta1());
                k.put("beta2", a.beta2());
                k.put("epsilon", a.epsilon());
                k.put("hessianPower", a.hessianPower());
                k.put("hessianInterval", a.hessianInterval());
                k.put("spatialAveraging", a.spatialAveraging());
                yield "adahessian";
            }
            case LBFGS -> {
                Lbfgs l = (Lbfgs) rule;
                k.put("learningRate", l.learningRate());
                k.put("history", l.history());
                k.put("curvatureEpsilon", l.curvatureEpsilon());
                k.put("lineSearch", l.lineSearch());
                yield "lbfgs";
            }
            case NYSTROM_SGD -> {
                NystromSgd ny = (NystromSgd) rule;
                k.put("learningRate", ny.learningRate());
                k.put("rank", ny.rank());
                k.put("refreshInterval", ny.refreshInterval());
                k.put("rho", ny.rho());
                yield "nystrom-sgd";
            }
        };
        m.put("type", type);
        m.putAll(k);
        return m;
    }

    /** One line per optimizer type: its settings with their defaults, as {@link #settings()} writes them. */
    public static String typesHelp(String indent) {
        StringBuilder sb = new StringBuilder();
        for (String type : FIELDS.keySet().stream().sorted().toList()) {
            Map<String, Object> d = of("defaults", type, Map.of()).settings();
            d.remove("type");
            sb.append(indent).append(String.format("%-12s", type));
            d.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            sb.append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /** Whether this optimizer runs in the toolkit's oracle step (a Newton-type method). */
    public boolean usesOracle() {
        return rule instanceof OracleRule;
    }

    /**
     * What kind of optimizer this is, whatever its hyperparameters: the type, and for SOFIM its reading
     * and (when not the full rule) its variant and scope; for example {@code sofim-paper},
     * {@code sofim-gradient-diagonal_fim}, {@code sgd} (no momentum), {@code sgd-momentum}, {@code nesterov},
     * {@code adam}. A tuning grid picks
     * one setting per family.
     */
    public String family() {
        Map<String, Object> s = settings();
        StringBuilder f = new StringBuilder(String.valueOf(s.get("type")));
        if (rule instanceof Sgd g && !g.nesterov() && g.momentum() > 0) {
            f.append("-momentum");
        }
        if (rule instanceof Sofim r) {
            f.append('-').append(r.reading().name().toLowerCase(java.util.Locale.ROOT));
            if (r.variant() != Variant.FULL) {
                f.append('-').append(r.variant().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (r.scope() != Scope.GLOBAL) {
                f.append('-').append(r.scope().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return f.toString();
    }

    private static double num(Map<String, Object> s, String key, double dflt) {
        Object v = s.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
    }

    private static int integer(Map<String, Object> s, String key, int dflt) {
        Object v = s.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }

    private static boolean bool(Map<String, Object> s, String key, boolean dflt) {
        Object v = s.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, Object value) {
        try {
            return Enum.valueOf(type, String.valueOf(value).toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(type.getSimpleName().toLowerCase()
                    + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got '" + value + "'");
        }
    }
}
