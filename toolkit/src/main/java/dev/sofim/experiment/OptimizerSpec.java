package dev.sofim.experiment;

import dev.sofim.optim.Adam;
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
 * type one of {@code sofim, sgd, nesterov, adam}; omitted settings take the rule's defaults (for SOFIM
 * the paper reading).
 */
public record OptimizerSpec(String name, UpdateRule rule) {
    static final Map<String, Set<String>> FIELDS = Map.of(
            "sofim", Set.of("learningRate", "beta", "rho", "reading", "variant", "scope"),
            "sgd", Set.of("learningRate", "momentum"),
            "nesterov", Set.of("learningRate", "momentum"),
            "adam", Set.of("learningRate", "beta1", "beta2", "epsilon"));

    public OptimizerSpec {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("optimizer name must be letters, digits, '.', '_' or '-', got '" + name + "'");
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
        LearningRateSchedule c = LearningRateSchedule.constant();
        UpdateRule rule = switch (type) {
            case "sofim" -> new Sofim(num(settings, "learningRate", Sofim.DEFAULT_LEARNING_RATE),
                    num(settings, "beta", Sofim.DEFAULT_BETA), num(settings, "rho", Sofim.DEFAULT_RHO),
                    enumOf(Reading.class, name, settings.getOrDefault("reading", Sofim.DEFAULT_READING.name())),
                    enumOf(Variant.class, name, settings.getOrDefault("variant", "FULL")),
                    enumOf(Scope.class, name, settings.getOrDefault("scope", "GLOBAL")), 0, c);
            case "sgd" -> new Sgd(num(settings, "learningRate", Sgd.DEFAULT_LEARNING_RATE),
                    num(settings, "momentum", Sgd.DEFAULT_MOMENTUM), false, 0, c);
            case "nesterov" -> new Sgd(num(settings, "learningRate", Sgd.DEFAULT_LEARNING_RATE),
                    num(settings, "momentum", Sgd.DEFAULT_MOMENTUM), true, 0, c);
            default -> new Adam(num(settings, "learningRate", Adam.DEFAULT_LEARNING_RATE),
                    num(settings, "beta1", Adam.DEFAULT_BETA1), num(settings, "beta2", Adam.DEFAULT_BETA2),
                    num(settings, "epsilon", Adam.DEFAULT_EPSILON), 0, c);
        };
        return new OptimizerSpec(name, rule);
    }

    /** The type and every setting, as written to configs (the inverse of {@link #of}). */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (rule instanceof Sofim s) {
            m.put("type", "sofim");
            m.put("learningRate", s.learningRate());
            m.put("beta", s.beta());
            m.put("rho", s.rho());
            m.put("reading", s.reading().name());
            m.put("variant", s.variant().name());
            m.put("scope", s.scope().name());
        } else if (rule instanceof Sgd s) {
            m.put("type", s.nesterov() ? "nesterov" : "sgd");
            m.put("learningRate", s.learningRate());
            m.put("momentum", s.momentum());
        } else if (rule instanceof Adam a) {
            m.put("type", "adam");
            m.put("learningRate", a.learningRate());
            m.put("beta1", a.beta1());
            m.put("beta2", a.beta2());
            m.put("epsilon", a.epsilon());
        }
        return m;
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

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name, Object value) {
        try {
            return Enum.valueOf(type, String.valueOf(value).toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("optimizer '" + name + "': " + type.getSimpleName().toLowerCase()
                    + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got '" + value + "'");
        }
    }
}
