package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GTestBase;
import org.g2gnet.activity.HebbianStats;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The options of the listener do what they say: the Hebbian score variants, the prune prefilter, SMALL_RANDOM. */
class RewiringOptionsTest extends G2GTestBase {

    private static MultiLayerNetwork net(Activation act, DataType dtype) {
        return g2gNet(24, new int[] {20, 16}, 4, 0.3, act, new Adam(1e-2), dtype, 3);
    }

    /** Features centred on 0, so that activations can be anti-correlated. */
    private static DataSet centred(long seed, DataType dtype) {
        DataSet ds = randomData(64, 24, 3, seed, dtype);
        ds.getFeatures().subi(0.5);
        return ds;
    }

    private static double[] host(INDArray a) {
        return Nd4j.toFlattened('f', a).castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** The score of every connection [nIn, nOut] ('f' order) by its definition, over the rows of x and a. */
    private static double[] reference(double[][] x, double[][] a, HebbianScore score) {
        int b = x.length;
        int nIn = x[0].length;
        int nOut = a[0].length;
        double[][] xc = new double[b][];
        double[][] ac = new double[b][];
        for (int s = 0; s < b; s++) {
            xc[s] = x[s].clone();
            ac[s] = a[s].clone();
        }
        if (score == HebbianScore.CENTERED) {
            center(xc);
            center(ac);
        }
        double[] out = new double[nIn * nOut];
        for (int i = 0; i < nIn; i++) {
            for (int o = 0; o < nOut; o++) {
                double dot = 0;
                double nx = 0;
                double na = 0;
                for (int s = 0; s < b; s++) {
                    dot += xc[s][i] * ac[s][o];
                    nx += xc[s][i] * xc[s][i];
                    na += ac[s][o] * ac[s][o];
                }
                double c = dot / ((Math.sqrt(nx) + HebbianStats.EPS) * (Math.sqrt(na) + HebbianStats.EPS));
                out[i + o * nIn] = score == HebbianScore.ABSOLUTE ? Math.abs(c) : c;
            }
        }
        return out;
    }

    private static void center(double[][] m) {
        for (int j = 0; j < m[0].length; j++) {
            double mean = 0;
            for (double[] row : m) {
                mean += row[j];
            }
            mean /= m.length;
            for (double[] row : m) {
                row[j] -= mean;
            }
        }
    }

    /**
     * For each Hebbian score, HEBBIAN/HEBBIAN rewiring prunes active connections whose score (as defined here) is
     * no higher than any kept one's, and grows inactive ones whose score is no lower than any left out.
     */
    @Test
    void eachHebbianScorePrunesTheLowestAndGrowsTheHighestOfItsDefinition() {
        useDouble();
        DataSet ds = centred(3, DataType.DOUBLE);
        List<String> prunedSets = new ArrayList<>();
        for (HebbianScore score : HebbianScore.values()) {
            MultiLayerNetwork net = net(Activation.TANH, DataType.DOUBLE);
            double[][] x = ds.getFeatures().toDoubleMatrix();
            double[][] a = net.feedForward(ds.getFeatures(), false).get(1).toDoubleMatrix();
            double[] ref = reference(x, a, score);
            double[] before = host(net.getLayer(0).getParam("M"));
            RewiringListener r = RewiringListener.builder().fraction(0.1).hebbianScore(score).seed(2)
                    .logEvents(false).build();
            r.rewireNow(net, ds, 0, 0);
            double[] after = host(net.getLayer(0).getParam("M"));
            double maxPruned = Double.NEGATIVE_INFINITY;
            double minKept = Double.POSITIVE_INFINITY;
            double minGrown = Double.POSITIVE_INFINITY;
            double maxLeftOut = Double.NEGATIVE_INFINITY;
            List<Integer> pruned = new ArrayList<>();
            for (int k = 0; k < ref.length; k++) {
                if (before[k] == 1 && after[k] == 0) {
                    maxPruned = Math.max(maxPruned, ref[k]);
                    pruned.add(k);
                } else if (before[k] == 1) {
                    minKept = Math.min(minKept, ref[k]);
                } else if (after[k] == 1) {
                    minGrown = Math.min(minGrown, ref[k]);
                } else {
                    maxLeftOut = Math.max(maxLeftOut, ref[k]);
                }
            }
            assertTrue(!pruned.isEmpty(), score.toString());
            // scores are ranked as floats: allow their rounding
            assertTrue(maxPruned <= minKept + 1e-6, score + ": pruned up to " + maxPruned + ", kept from " + minKept);
            assertTrue(minGrown >= maxLeftOut - 1e-6, score + ": grown from " + minGrown + ", left out up to "
                    + maxLeftOut);
            prunedSets.add(pruned.toString());
        }
        assertNotEquals(prunedSets.get(0), prunedSets.get(1), "ABSOLUTE ranks differently from SIGNED");
        assertNotEquals(prunedSets.get(0), prunedSets.get(2), "CENTERED ranks differently from SIGNED");
    }

    /** With a prefilter, only the smallest weights are candidates; without it the Hebbian criterion reaches further. */
    @Test
    void prunePrefilterPrunesOnlyAmongTheSmallestWeights() {
        DataSet ds = centred(4, DataType.FLOAT);
        double[] largestPruned = new double[2];
        double[] threshold = new double[2];
        double[] shares = {0.3, 1.0};
        for (int run = 0; run < 2; run++) {
            MultiLayerNetwork net = net(Activation.TANH, DataType.FLOAT);
            for (int i = 0; i < 3; i++) {
                net.fit(ds);
            }
            double[] w = host(net.getLayer(0).getParam("W"));
            double[] before = host(net.getLayer(0).getParam("M"));
            RewiringListener r = RewiringListener.builder().fraction(0.1).prune(PruneCriterion.HEBBIAN)
                    .grow(GrowthCriterion.RANDOM).prunePrefilter(shares[run]).seed(5).logEvents(false).build();
            r.rewireNow(net, ds, 0, 0);
            double[] after = host(net.getLayer(0).getParam("M"));
            double[] activeAbs = new double[(int) Arrays.stream(before).sum()];
            for (int k = 0, j = 0; k < w.length; k++) {
                if (before[k] == 1) {
                    activeAbs[j++] = Math.abs(w[k]);
                }
                if (before[k] == 1 && after[k] == 0) {
                    largestPruned[run] = Math.max(largestPruned[run], Math.abs(w[k]));
                }
            }
            Arrays.sort(activeAbs);
            threshold[run] = activeAbs[(int) Math.ceil(0.3 * activeAbs.length) - 1];
        }
        assertEquals(threshold[0], threshold[1], 0, "the same weights before the event");
        assertTrue(largestPruned[0] <= threshold[0], "prefilter 0.3: pruned |w| up to " + largestPruned[0]
                + ", the 30% quantile is " + threshold[0]);
        assertTrue(largestPruned[1] > threshold[1], "without prefilter the Hebbian criterion prunes larger weights too");
    }

    /** SMALL_RANDOM regrowth keeps every invariant but the zero start during training. */
    @Test
    void smallRandomRegrowthKeepsTheInvariantsInTraining() {
        MultiLayerNetwork net = net(Activation.RELU, DataType.FLOAT);
        RewiringListener r = RewiringListener.builder().everyIterations(2).fraction(0.2).prune(PruneCriterion.MAGNITUDE)
                .grow(GrowthCriterion.RANDOM).regrowth(MaskUpdater.Regrowth.SMALL_RANDOM).seed(1).logEvents(false)
                .build();
        RewiringInvariants checker = RewiringInvariants.afterEveryEventOf(r);
        net.setListeners(r, checker);
        DataSet ds = randomData(32, 24, 3, 7, DataType.FLOAT);
        for (int i = 0; i < 6; i++) {
            net.fit(ds);
        }
        assertEquals(6, checker.events, "3 events on 2 layers");
        for (RewiringEvent e : r.events()) {
            assertEquals(e.pruned(), e.grown(), e.summary());
        }
        assertTrue(Double.isFinite(net.score()));
    }
}
