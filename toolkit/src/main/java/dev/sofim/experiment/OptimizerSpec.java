package dev.sofim.experiment;

import dev.sofim.optim.OracleRule;
import dev.sofim.optim.Rule;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.Variant;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named optimizer of an experiment: a label for plots and tables, and its core rule. In configs:
 * {@code {"name": "sofim", "type": "sofim", "learningRate": 5, "rho": 10, "reading": "PAPER", ...}} with
 * type one of {@code sofim, sgd, nesterov, adam} (first-order) or {@code adahessian, lbfgs, nystrom-sgd}
 * (Newton-type, run by the toolkit's oracle step); omitted settings take the rule's defaults (for SOFIM
 * the paper reading, for the Newton-type methods their references').
 */
public record OptimizerSpec(String name, Rule rule) {
    public OptimizerSpec {
        Names.check("optimizer name", name);
        if (rule == null) {
            throw new IllegalArgumentException("optimizer '" + name + "': rule must not be null");
        }
    }

    /** A named optimizer: {@code OptimizerSpec.of("sofim-rho50", Sofim.defaults().withRho(50))}. */
    public static OptimizerSpec of(String name, Rule rule) {
        return new OptimizerSpec(name, rule);
    }

    /**
     * The config form: a type ({@code sofim, sgd, nesterov, adam, adahessian, lbfgs, nystrom-sgd}) and settings
     * (numbers, booleans, enum names), unknown settings rejected, the rest from the rule's defaults. Used to read
     * configs; in code, give the rule object ({@link #of(String, Rule)}).
     */
    public static OptimizerSpec of(String name, String type, Map<String, Object> settings) {
        RuleSchema schema = RuleSchema.of(type);
        if (schema == null) {
            throw new IllegalArgumentException("optimizer '" + name + "': unknown type '" + type + "'; expected one of "
                    + Arrays.stream(RuleSchema.values()).map(t -> t.type).sorted().toList());
        }
        try {
            return new OptimizerSpec(name, schema.rule(settings));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("optimizer '") ? e
                    : new IllegalArgumentException("optimizer '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The type and every setting, as written to configs (the inverse of {@link #of(String, String, Map)}). */
    public Map<String, Object> settings() {
        RuleSchema schema = RuleSchema.of(rule);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", schema.type);
        try {
            m.putAll(schema.settings(rule));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("optimizer '" + name + "': " + e.getMessage(), e);
        }
        return m;
    }

    /**
     * The settings a config can give an optimizer of {@code type}, in record order (the optional {@code schedule} object
     * aside: {@link #hasSchedule}); an error naming an unknown type.
     */
    public static java.util.List<String> settingNames(String type) {
        return schema(type).settingNames();
    }

    /** Whether an optimizer of {@code type} takes a learning-rate {@code schedule} (the first-order types). */
    public static boolean hasSchedule(String type) {
        return schema(type).hasSchedule();
    }

    private static RuleSchema schema(String type) {
        RuleSchema schema = RuleSchema.of(type);
        if (schema == null) {
            throw new IllegalArgumentException("unknown optimizer type '" + type + "'; expected one of "
                    + Arrays.stream(RuleSchema.values()).map(t -> t.type).sorted().toList());
        }
        return schema;
    }

    /** One line per optimizer type: its settings with their defaults, as {@link #settings()} writes them. */
    public static String typesHelp(String indent) {
        StringBuilder sb = new StringBuilder();
        for (RuleSchema type : Arrays.stream(RuleSchema.values()).sorted(Comparator.comparing(t -> t.type)).toList()) {
            Map<String, Object> d = type.settings(type.defaults);
            sb.append(indent).append(String.format("%-12s", type.type));
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
}
