/**
 * The statistics of the toolkit's studies, self-contained (no ND4J, Tribuo or other library) and deterministic (every
 * resampling is seeded): {@link dev.sofim.stats.Wilson} intervals for success rates, {@link dev.sofim.stats.KaplanMeier}
 * for censored times to target (median, restricted mean), {@link dev.sofim.stats.Bootstrap} percentile intervals,
 * {@link dev.sofim.stats.Wilcoxon} signed-rank tests on paired seeds with {@link dev.sofim.stats.Holm}'s correction, and
 * {@link dev.sofim.stats.PerformanceProfile} (Dolan–Moré). Tested against hand-computed cases and SciPy's values
 * ({@code tests/oracle/stats_fixture.py}).
 */
package dev.sofim.stats;
