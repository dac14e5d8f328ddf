package dev.sofim.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every optimizer, SOFIM reading and variant the toolkit has, by name: the table the table-driven tests run over. */
public final class Rules {
    private Rules() {
    }

    public static Map<String, UpdateRule> all() {
        Map<String, UpdateRule> m = new LinkedHashMap<>();
        for (Reading r : Reading.values()) {
            for (Variant v : Variant.values()) {
                m.put("sofim-" + r + "-" + v, Sofim.of(v).withReading(r)
                        .withRho(v == Variant.NO_REGULARIZATION ? 0 : Sofim.DEFAULT_RHO));
            }
        }
        m.put("sofim-per-layer", Sofim.defaults().withScope(Scope.PER_LAYER));
        m.put("sgd", Sgd.plain(0.05));
        m.put("sgd-momentum", Sgd.momentum(0.05, 0.9));
        m.put("nesterov", Sgd.nesterov(0.05, 0.9));
        m.put("adam", Adam.defaults());
        return m;
    }
}
