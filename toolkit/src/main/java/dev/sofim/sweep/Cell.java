package dev.sofim.sweep;

import dev.sofim.experiment.ExperimentConfig;

import java.util.Map;

/**
 * One run of a sweep: a resolved config with one optimizer and one seed, where it sits on the axes, and its id, a hash
 * of the resolved config (the same settings give the same id, whatever the sweep file's order or runner).
 */
public record Cell(String id, Map<String, Object> coordinates, ExperimentConfig config) {

    public Cell {
        coordinates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(coordinates));
    }

    /** The cell's only optimizer's name. */
    public String optimizer() {
        return config.optimizers().get(0).name();
    }

    /** The cell's only seed. */
    public long seed() {
        return config.seeds().get(0);
    }
}
