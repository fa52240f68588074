package org.g2gnet.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.g2gnet.cli.train.EpochMetrics;
import org.junit.jupiter.api.Test;

/** The summary's statistics and the learning-rate choice, on made-up run records. */
class ReportsTest {

    private static RunRecord run(CompareModel m, double lr, long seed, double test, double val) {
        return new RunRecord(m, seed, lr, List.of(new EpochMetrics(1, 0.5, 0.5, test, 1.0, 10, val)), 100, 0.25,
                List.of(), null, null, List.of());
    }

    @Test
    void theChosenRateIsTheBestOnValidationNotOnTest() {
        List<RunRecord> runs = new ArrayList<>();
        for (long s = 1; s <= 3; s++) {
            // lr 0.001: better on test, worse on validation; lr 0.002: the reverse
            runs.add(run(CompareModel.DENSE, 1e-3, s, 0.95, 0.80));
            runs.add(run(CompareModel.DENSE, 2e-3, s, 0.85, 0.90));
        }
        List<RunRecord> chosen = Reports.chosen(runs);
        assertEquals(3, chosen.size());
        assertTrue(chosen.stream().allMatch(r -> r.lr() == 2e-3), chosen.toString());
        assertTrue(Reports.sweepsLearningRate(runs));
        String summary = Reports.learningRateSummary(runs);
        assertTrue(summary.contains("| dense | 0.002 | 0.9000 ± 0.0000 | 0.8500 ± 0.0000 |"), summary);
    }

    @Test
    void aSweepWithoutValidationAccuracyIsRefused() {
        List<RunRecord> runs = List.of(run(CompareModel.DENSE, 1e-3, 1, 0.9, Double.NaN),
                run(CompareModel.DENSE, 2e-3, 1, 0.9, Double.NaN));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Reports.chosen(runs));
        assertTrue(e.getMessage().contains("--validation"), e.getMessage());
    }

    @Test
    void learningRatesTriedOnDifferentSeedsAreNotCompared() {
        // seed 2 exists at lr 0.002 only: its mean would be compared with seed 1's alone
        List<RunRecord> runs = List.of(run(CompareModel.ER, 1e-3, 1, 0.9, 0.80), run(CompareModel.ER, 2e-3, 1, 0.9, 0.80),
                run(CompareModel.ER, 2e-3, 2, 0.9, 0.95));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Reports.chosen(runs));
        assertTrue(e.getMessage().contains("er has seeds [1] at lr 0.001 but [1, 2] at lr 0.002"), e.getMessage());
    }

    @Test
    void welchTestMatchesAHandComputedValue() {
        // means 0.905 and 0.900, both std 0.001 over 3 seeds: t = 0.005 / sqrt(2 * 1e-6 / 3) = 6.12, df = 4, p = 0.0036
        double p = Reports.welchP(new double[] {0.904, 0.905, 0.906}, new double[] {0.899, 0.900, 0.901});
        assertEquals(0.0036, p, 0.0002);
        assertEquals("n/a", Reports.formatP(Reports.welchP(new double[] {0.9}, new double[] {0.8, 0.7})));
    }

    @Test
    void summaryComparesTheMixerWithEveryModel() {
        List<RunRecord> runs = new ArrayList<>();
        for (long s = 1; s <= 3; s++) {
            runs.add(run(CompareModel.DENSE, 1e-3, s, 0.900 + s * 0.001, Double.NaN));
            runs.add(run(CompareModel.G2G_INDEX, 1e-3, s, 0.901 + s * 0.001, Double.NaN));
            runs.add(run(CompareModel.G2G_MIXER, 1e-3, s, 0.910 + s * 0.001, Double.NaN));
        }
        String summary = Reports.summary(runs);
        assertTrue(summary.contains("g2g-mixer against each model"), summary);
        assertTrue(summary.contains("| dense | +0.0100 | 0.0010 |"), summary);
        assertTrue(summary.contains("| g2g-index | +0.0090 | 0.0010 |"), summary);
    }
}
