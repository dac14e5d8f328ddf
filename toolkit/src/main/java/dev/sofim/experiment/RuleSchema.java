package dev.sofim.experiment;

import dev.sofim.optim.AdaHessian;
import dev.sofim.optim.Adam;
import dev.sofim.optim.LearningRateSchedule;
import dev.sofim.optim.Lbfgs;
import dev.sofim.optim.NystromSgd;
import dev.sofim.optim.Rule;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The config form of every rule, derived once from the rule records themselves: a type name, its default rule,
 * and as settings the record's components (names, types, defaults). A hyperparameter added to a rule record is in
 * configs, {@code sofim run --help} and the tables with no other edit. Not settings: components fixed by the type
 * ({@code nesterov}: types {@code sgd} and {@code nesterov}) and the programmatic {@code weightDecay}, which a config
 * cannot express (a rule with it set is refused rather than written without it). The {@code schedule} is an object
 * ({@link ScheduleJson}), written only when not constant (so configs from before it keep their form and hash).
 */
enum RuleSchema {
    SOFIM("sofim", Sofim.defaults()),
    SGD("sgd", Sgd.defaults()),
    NESTEROV("nesterov", new Sgd(Sgd.DEFAULT_LEARNING_RATE, Sgd.DEFAULT_MOMENTUM, true, 0, LearningRateSchedule.constant())),
    ADAM("adam", Adam.defaults()),
    ADAHESSIAN("adahessian", AdaHessian.defaults()),
    LBFGS("lbfgs", Lbfgs.defaults()),
    NYSTROM_SGD("nystrom-sgd", NystromSgd.defaults());

    /** Components that are not settings: fixed by the type, or not expressible in a config. */
    private static final List<String> FIXED_BY_TYPE = List.of("nesterov");
    private static final List<String> PROGRAMMATIC = List.of("weightDecay");

    final String type;
    final Rule defaults;
    private final RecordComponent[] components;
    private final Constructor<?> constructor;

    RuleSchema(String type, Rule defaults) {
        this.type = type;
        this.defaults = defaults;
        this.components = defaults.getClass().getRecordComponents();
        try {
            this.constructor = defaults.getClass().getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(defaults.getClass() + " has no canonical constructor", e);
        }
    }

    /** The setting names, in record order. */
    List<String> settingNames() {
        return Arrays.stream(components).map(RecordComponent::getName).filter(RuleSchema::isSetting).toList();
    }

    private static boolean isSetting(String component) {
        return !FIXED_BY_TYPE.contains(component) && !PROGRAMMATIC.contains(component) && !component.equals(SCHEDULE);
    }

    /** The optional {@code schedule} object of a config's optimizer: not a setting (it is written only when set). */
    static final String SCHEDULE = "schedule";

    /** Whether rules of this type have a learning-rate schedule (the first-order ones). */
    boolean hasSchedule() {
        return has(SCHEDULE);
    }

    static RuleSchema of(String type) {
        return Arrays.stream(values()).filter(s -> s.type.equals(type)).findFirst().orElse(null);
    }

    /** The schema a rule is written with: its class, and the components fixed by the type. */
    static RuleSchema of(Rule rule) {
        for (RuleSchema s : values()) {
            if (s.defaults.getClass() == rule.getClass() && FIXED_BY_TYPE.stream()
                    .allMatch(c -> !s.has(c) || Objects.equals(s.value(s.defaults, c), s.value(rule, c)))) {
                return s;
            }
        }
        throw new IllegalStateException("no config type for " + rule.getClass().getName());
    }

    private boolean has(String component) {
        return Arrays.stream(components).anyMatch(c -> c.getName().equals(component));
    }

    private Object value(Rule rule, String component) {
        for (RecordComponent c : components) {
            if (c.getName().equals(component)) {
                try {
                    return c.getAccessor().invoke(rule);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalArgumentException(component);
    }

    /** The rule with the given settings (numbers, booleans, enum names as strings), the defaults for the rest. */
    Rule rule(Map<String, Object> settings) {
        List<String> names = settingNames();
        for (String k : settings.keySet()) {
            if (!names.contains(k) && !(k.equals(SCHEDULE) && hasSchedule())) {
                throw new IllegalArgumentException("unknown setting '" + k + "' for type " + type + "; expected some of "
                        + names.stream().sorted().toList());
            }
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Object given = settings.get(c.getName());
            args[i] = given == null ? value(defaults, c.getName()) : convert(c.getName(), c.getType(), given);
        }
        try {
            return (Rule) constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The settings of a rule of this type, in record order (enums by name). */
    Map<String, Object> settings(Rule rule) {
        for (String p : PROGRAMMATIC) {
            if (has(p) && !Objects.equals(value(rule, p), value(defaults, p))) {
                throw new IllegalArgumentException(p + " = " + value(rule, p) + " cannot be written to a config "
                        + "(configs hold " + settingNames() + "); set it in code on the rule only");
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (String n : settingNames()) {
            Object v = value(rule, n);
            m.put(n, v instanceof Enum<?> e ? e.name() : v);
        }
        if (hasSchedule() && !(value(rule, SCHEDULE) instanceof LearningRateSchedule.Constant)) {
            m.put(SCHEDULE, ScheduleJson.toMap((LearningRateSchedule) value(rule, SCHEDULE)));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Object convert(String key, Class<?> type, Object v) {
        if (type == LearningRateSchedule.class) {
            if (v instanceof LearningRateSchedule s) {
                return s;
            }
            if (v instanceof Map<?, ?> m) {
                return ScheduleJson.parse((Map<String, Object>) m);
            }
            throw new IllegalArgumentException(key + " must be an object such as {\"type\": \"warmup-cosine\", ...}, got '" + v + "'");
        }
        if (type == double.class) {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
        if (type == int.class) {
            if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
                return n.intValue();
            }
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
        }
        if (type == boolean.class) {
            if (v instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(String.valueOf(v).toUpperCase(Locale.ROOT).replace('-', '_'))) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(key + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", got '" + v + "'");
        }
        throw new IllegalStateException(key + ": no config form for " + type);
    }
}
