package dev.sofim.stats;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statistics package against SciPy's values ({@code tests/oracle/stats_fixture.py}) and cases worked by hand. */
class StatsTest {
    private static final JsonObject SCIPY = load();

    private static JsonObject load() {
        try (Reader r = new InputStreamReader(StatsTest.class.getResourceAsStream("/oracle/stats.json"), StandardCharsets.UTF_8)) {
            return new Gson().fromJson(r, JsonObject.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double[] doubles(JsonArray a) {
        return StreamSupport.stream(a.spliterator(), false).mapToDouble(JsonElement::getAsDouble).toArray();
    }

    private static boolean[] flags(JsonArray a) {
        boolean[] b = new boolean[a.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = a.get(i).getAsBoolean();
        }
        return b;
    }

    @Test
    void wilcoxonMatchesScipy() {
        for (JsonElement e : SCIPY.getAsJsonArray("wilcoxon")) {
            JsonObject c = e.getAsJsonObject();
            Wilcoxon w = Wilcoxon.test(doubles(c.getAsJsonArray("x")), doubles(c.getAsJsonArray("y")));
            assertEquals(c.get("method").getAsString().equals("exact"), w.exact(), c.toString());
            assertEquals(c.get("statistic").getAsDouble(), w.statistic(), 1e-12, c.toString());
            assertEquals(c.get("pValue").getAsDouble(), w.pValue(), 1e-12, c.toString());
        }
    }

    @Test
    void normalTailMatchesScipy() {
        for (JsonElement e : SCIPY.getAsJsonArray("normalSf")) {
            JsonObject c = e.getAsJsonObject();
            double expected = c.get("sf").getAsDouble();
            assertEquals(expected, Normal.sf(c.get("x").getAsDouble()), 1e-13 * Math.max(expected, 1e-300) + 1e-300, c.toString());
        }
    }

    @Test
    void wilsonMatchesScipy() {
        for (JsonElement e : SCIPY.getAsJsonArray("wilson")) {
            JsonObject c = e.getAsJsonObject();
            Interval i = Wilson.interval(c.get("successes").getAsInt(), c.get("trials").getAsInt());
            assertEquals(c.get("lower").getAsDouble(), i.lower(), 1e-12, c.toString());
            assertEquals(c.get("upper").getAsDouble(), i.upper(), 1e-12, c.toString());
        }
        // by hand: 0 of 10, z² = 3.8415: upper = (z²/20 + z·√(z²/400))/(1 + z²/10) = 2·0.19207/1.38415 = 0.27753
        assertEquals(0.2775327998628899, Wilson.interval(0, 10).upper(), 1e-12);
        assertEquals(0, Wilson.interval(0, 10).lower());
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval(4, 3));
    }

    @Test
    void kaplanMeierMatchesScipy() {
        for (JsonElement e : SCIPY.getAsJsonArray("kaplanMeier")) {
            JsonObject c = e.getAsJsonObject();
            KaplanMeier km = new KaplanMeier(doubles(c.getAsJsonArray("times")), flags(c.getAsJsonArray("reached")));
            double[] t = doubles(c.getAsJsonArray("eventTimes"));
            double[] s = doubles(c.getAsJsonArray("survival"));
            for (int k = 0; k < t.length; k++) {
                assertEquals(s[k], km.survival(t[k]), 1e-12, c + " at " + t[k]);
            }
            String median = c.get("median").getAsString();
            assertEquals(median.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(median), km.median(), c.toString());
            assertEquals(c.get("restrictedMean").getAsDouble(), km.restrictedMean(c.get("tau").getAsDouble()), 1e-9, c.toString());
        }
    }

    @Test
    void kaplanMeierByHand() {
        // 4 runs: reached at 10 and 30, censored at 40 (budget) twice: Ŝ = 3/4 after 10, 1/2 after 30; median 30.
        KaplanMeier km = new KaplanMeier(new double[] {30, 40, 10, 40}, new boolean[] {true, false, true, false});
        assertEquals(0.75, km.survival(10));
        assertEquals(0.5, km.survival(35));
        assertEquals(30, km.median());
        // ∫₀^40 Ŝ = 10·1 + 20·0.75 + 10·0.5 = 30: the mean of min(T, 40) = (10 + 30 + 40 + 40)/4
        assertEquals(30, km.restrictedMean(40), 1e-12);
        KaplanMeier few = new KaplanMeier(new double[] {5, 40, 40}, new boolean[] {true, false, false});
        assertEquals(Double.POSITIVE_INFINITY, few.median(), "fewer than half reached");
        Interval a = km.medianInterval(500, 7);
        assertEquals(a, km.medianInterval(500, 7), "seeded");
        assertTrue(a.lower() >= 10 && a.upper() == Double.POSITIVE_INFINITY, a.toString());
    }

    @Test
    void censoredPairsRankLastAndDoubleCensoringIsDropped() {
        // differences: −1, −2, −∞ (x reached, y never), 0 (both never): n = 3, all negative: W⁺ = 0, T = 0,
        // exact p = 2 · 1/2³ = 0.25
        double inf = Double.POSITIVE_INFINITY;
        Wilcoxon w = Wilcoxon.test(new double[] {4, 5, 6, inf}, new double[] {5, 7, inf, inf});
        assertEquals(3, w.n());
        assertEquals(0, w.wPlus());
        assertEquals(6, w.wMinus());
        assertEquals(0.25, w.pValue(), 1e-15);
        // two one-sided censorings tie at the top ranks (2.5 each) with a finite difference ranked 1
        Wilcoxon t = Wilcoxon.test(new double[] {inf, 1, inf}, new double[] {1, 2, 3});
        assertEquals(5, t.wPlus());
        assertEquals(1, t.wMinus());
        assertTrue(!t.exact());
        assertEquals(1.0, Wilcoxon.test(new double[] {inf}, new double[] {inf}).pValue());
    }

    @Test
    void theSmallestPOfNPairsIsTheExactTestsOnAUnanimousSample() {
        // n untied differences all of one sign: W⁻ = 0, P(W⁺ ≤ 0) = 1/2ⁿ, two-sided 2/2ⁿ (n = 10: 0.001953125)
        for (int n = 1; n <= 12; n++) {
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = 100 + i * (i + 1);   // distinct differences: no ties, so the exact distribution
            }
            Wilcoxon w = Wilcoxon.test(x, y);
            assertTrue(w.exact());
            assertEquals(w.pValue(), Wilcoxon.smallestP(n), 1e-15, "n = " + n);
        }
        assertEquals(0.001953125, Wilcoxon.smallestP(10), 0);
        assertEquals(0.0625, Wilcoxon.smallestP(5), 0);
        assertEquals(1, Wilcoxon.smallestP(0), 0);
        assertThrows(IllegalArgumentException.class, () -> Wilcoxon.smallestP(-1));
    }

    @Test
    void holmByHand() {
        // sorted 0.01, 0.02, 0.03, 0.5 (m = 4): 0.04, max(0.04, 0.06) = 0.06, max(0.06, 0.06) = 0.06, min(1, 0.5) = 0.5
        assertArrayEquals(new double[] {0.06, 0.04, 0.5, 0.06, Double.NaN},
                Holm.adjust(new double[] {0.03, 0.01, 0.5, 0.02, Double.NaN}), 1e-15);
        assertArrayEquals(new double[] {1, 1}, Holm.adjust(new double[] {0.7, 0.9}), 0);
    }

    @Test
    void performanceProfileByHand() {
        double inf = Double.POSITIVE_INFINITY;
        Map<String, Map<String, Double>> costs = new LinkedHashMap<>();
        costs.put("p1", Map.of("a", 10.0, "b", 20.0));
        costs.put("p2", Map.of("a", 30.0, "b", 15.0));
        costs.put("p3", Map.of("a", 5.0, "b", inf));
        costs.put("p4", Map.of("a", inf, "b", inf));
        PerformanceProfile p = PerformanceProfile.of(List.of("a", "b"), costs);
        assertArrayEquals(new double[] {1, 2, 1, inf}, p.ratios()[0]);
        assertArrayEquals(new double[] {2, 1, inf, inf}, p.ratios()[1]);
        assertEquals(Map.of("a", 0.5, "b", 0.25), p.at(1));
        assertEquals(Map.of("a", 0.75, "b", 0.5), p.at(2));
        assertEquals(2, p.maxFiniteRatio());
    }

    @Test
    void bootstrapIsSeededAndTheMedianHandlesCensoring() {
        double[] v = {3, 1, 4, 1, 5, 9, 2, 6};
        Interval a = Bootstrap.percentile(1000, 42, v.length, idx -> {
            double[] s = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                s[i] = v[idx[i]];
            }
            return Bootstrap.median(s);
        });
        assertTrue(a.lower() >= 1 && a.upper() <= 9 && a.lower() < a.upper(), a.toString());
        assertEquals(3.5, Bootstrap.median(v));
        assertEquals(Double.POSITIVE_INFINITY, Bootstrap.median(new double[] {1, Double.POSITIVE_INFINITY}));
        assertEquals(0, Bootstrap.median(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}));
        assertEquals("[1.0, ∞]", new Interval(1, Double.POSITIVE_INFINITY).format("%.1f"));
    }
}
