package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.G2GConvolutionLayer;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.activity.ActivityRecorder;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.layers.G2GLayer;
import org.g2gnet.activity.HebbianStats;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.Grouping;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Rewiring of G2G convolutions, a channel pair (one kernel) at a time: the invariants under Adam and weight decay
 * for every criterion pair, the units and counts of the events, exact resume, the Hebbian score of a pair against a
 * hand computation, gradient growth on the dense kernel gradient, and networks that mix dense and convolutional G2G
 * layers.
 */
class ConvRewiringTest extends G2GTestBase {

    /**
     * conv (plain, 1 -> 8, Same) -> G2G conv c1 (8 -> 12, Same, 4 groups) -> max pool 2 -> G2G conv c2 (12 -> 8, 3 x 3
     * Truncate: 4 x 4 maps in, 2 x 2 out, so its Hebbian score pools the input maps) -> softmax, on 8 x 8 grey
     * images; Adam with weight decay.
     */
    private static MultiLayerNetwork cnn(CNN2DFormat format, DataType dtype) {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(SEED).dataType(dtype)
                .updater(new Adam(1e-2)).weightDecay(1e-3).weightInit(WeightInit.RELU_UNIFORM)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED).list();
        lb.layer(new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same).dataFormat(format)
                .activation(Activation.RELU).build());
        lb.layer(new G2GConvolutionLayer.Builder(3, 3).name("c1").nOut(12).groups(4).pInter(0.3).dataFormat(format)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build());
        lb.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .dataFormat(format).build());
        lb.layer(new G2GConvolutionLayer.Builder(3, 3).name("c2").nOut(8).groups(4).pInter(0.3).dataFormat(format)
                .convolutionMode(ConvolutionMode.Truncate).grouping(Grouping.INTERLEAVED)
                .inputGrouping(Grouping.INTERLEAVED).activation(Activation.RELU).build());
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                .build());
        lb.setInputType(InputType.convolutional(8, 8, 1, format));
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork cnn() {
        return cnn(CNN2DFormat.NCHW, DataType.FLOAT);
    }

    /** Grey 8 x 8 images in [0, 1) ([n, 1, 8, 8], or [n, 8, 8, 1] for NHWC) and one-hot labels of 3 classes. */
    private static DataSet images(int n, long seed, CNN2DFormat format, DataType dtype) {
        DataSet flat = randomData(n, 64, 3, seed, dtype);
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {n, 1, 8, 8} : new long[] {n, 8, 8, 1};
        return new DataSet(flat.getFeatures().reshape('c', shape), flat.getLabels());
    }

    private static DataSet images(int n, long seed) {
        return images(n, seed, CNN2DFormat.NCHW, DataType.FLOAT);
    }

    private static G2GConvolutionLayerImpl conv(MultiLayerNetwork net, int index) {
        return (G2GConvolutionLayerImpl) net.getLayer(index);
    }

    @Test
    @Tag("slow")
    void everyCriterionPairKeepsTheInvariantsOverSeedsUnderAdamAndWeightDecay() {
        DataSet ds = images(16, 1);
        for (PruneCriterion p : PruneCriterion.values()) {
            for (GrowthCriterion g : GrowthCriterion.values()) {
                for (long seed = 1; seed <= 3; seed++) {
                    MultiLayerNetwork net = cnn();
                    RewiringListener r = RewiringListener.builder().everyIterations(3).fraction(0.2).prune(p).grow(g)
                            .seed(seed).logEvents(false).build();
                    RewiringInvariants checker = RewiringInvariants.afterEveryEventOf(r);
                    net.setListeners(r, checker);
                    double pairs1 = conv(net, 1).mask().sumNumber().doubleValue();
                    double pairs3 = conv(net, 3).mask().sumNumber().doubleValue();
                    for (int i = 0; i < 10; i++) {
                        net.fit(ds);
                    }
                    String what = p + ":" + g + " seed " + seed;
                    assertEquals(10, checker.steps, what);
                    assertEquals(6, checker.events, what + ": 3 events x 2 G2G convolutions");
                    assertEquals(6, r.events().size(), what);
                    for (RewiringEvent e : r.events()) {
                        assertEquals(RewiringEvent.CHANNEL_PAIRS, e.unit(), what);
                        assertEquals(e.pruned(), e.grown(), what);
                        assertTrue(e.pruned() > 0, what);
                        assertEquals(e.grown(), e.grownIntra() + e.grownInter(), what);
                        assertTrue(Double.isFinite(e.meanScorePruned()), what + ": hebbian diagnostics collected");
                        assertTrue(e.summary().contains("channel pairs"), e.summary());
                    }
                    assertEquals(List.of(2, 5, 8), r.events().stream().filter(e -> e.layer().equals("c1"))
                            .map(RewiringEvent::iteration).toList(), what);
                    assertEquals(List.of(2, 5, 8), r.events().stream().filter(e -> e.layer().equals("c2"))
                            .map(RewiringEvent::iteration).toList(), what);
                    assertEquals(pairs1, conv(net, 1).mask().sumNumber().doubleValue(), 0, what);
                    assertEquals(pairs3, conv(net, 3).mask().sumNumber().doubleValue(), 0, what);
                    assertTrue(Double.isFinite(net.score()), what);
                }
            }
        }
    }

    /** NHWC activations are read as NHWC: the same invariants, and Hebbian growth beats Hebbian pruning. */
    @Test
    void anNhwcNetworkIsRewiredLikeAnNchwOne() {
        MultiLayerNetwork net = cnn(CNN2DFormat.NHWC, DataType.FLOAT);
        RewiringListener r = RewiringListener.builder().everyIterations(2).fraction(0.2).seed(5).logEvents(false)
                .build();
        RewiringInvariants checker = RewiringInvariants.afterEveryEventOf(r);
        net.setListeners(r, checker);
        DataSet ds = images(16, 12, CNN2DFormat.NHWC, DataType.FLOAT);
        for (int i = 0; i < 4; i++) {
            net.fit(ds);
        }
        assertEquals(4, checker.events);
        for (RewiringEvent e : r.events()) {
            assertTrue(e.pruned() > 0 && e.meanScorePruned() < e.meanScoreGrown(), e.summary());
        }
    }

    /** Counts: round(fraction x active pairs) channel pairs per event, density = active pairs / all pairs. */
    @Test
    void eventsCountChannelPairsAndTheirDensity() {
        MultiLayerNetwork net = cnn();
        G2GConvolutionLayerImpl c2 = conv(net, 3);
        long active = Math.round(c2.mask().sumNumber().doubleValue());
        RewiringListener r = RewiringListener.builder().fraction(0.25).prune(PruneCriterion.MAGNITUDE)
                .grow(GrowthCriterion.RANDOM).seed(3).logEvents(false).build();
        List<RewiringEvent> events = r.rewireNow(net, images(16, 2), 0, 0);
        assertEquals(List.of("c1", "c2"), events.stream().map(RewiringEvent::layer).toList());
        RewiringEvent e = events.get(1);
        assertEquals(Math.round(0.25 * active), e.pruned(), e.summary());
        assertEquals(active / (12.0 * 8), e.density(), 1e-12, "active pairs / all pairs = active kernels / all kernels");
        assertEquals(c2.activeConnections() / (double) c2.totalConnections(), e.density(), 1e-12);
        assertTrue(e.summary().contains("pruned " + e.pruned() + " channel pairs (kernels)"), e.summary());
    }

    /** MAGNITUDE prunes the kernels of smallest L2 norm; the pruned kernels are 0 afterwards, as a whole. */
    @Test
    void magnitudePrunesTheSmallestKernelNorms() {
        MultiLayerNetwork net = cnn();
        DataSet ds = images(16, 3);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        G2GConvolutionLayerImpl c1 = conv(net, 1);
        float[] before = Nd4j.toFlattened('c', c1.mask()).toFloatVector();
        float[] norms = kernelNorms(c1.weights());
        RewiringListener r = RewiringListener.builder().fraction(0.2).prune(PruneCriterion.MAGNITUDE)
                .grow(GrowthCriterion.RANDOM).seed(1).logEvents(false).build();
        RewiringEvent e = r.rewireNow(net, ds, 3, 0).get(0);
        float[] after = Nd4j.toFlattened('c', c1.mask()).toFloatVector();
        float largestPruned = 0;
        float smallestKept = Float.MAX_VALUE;
        int pruned = 0;
        for (int k = 0; k < before.length; k++) {
            if (before[k] == 1f && after[k] == 0f) {
                largestPruned = Math.max(largestPruned, norms[k]);
                pruned++;
            } else if (before[k] == 1f) {
                smallestKept = Math.min(smallestKept, norms[k]);
            }
        }
        assertEquals(e.pruned(), pruned);
        assertTrue(largestPruned <= smallestKept, largestPruned + " > " + smallestKept);
    }

    /**
     * The Hebbian score of a channel pair, by hand: both maps averaged to the smaller size (here c2's 4 x 4 input maps
     * to its 2 x 2 output: 2 x 2 blocks), then the cosine over (examples x positions); NHWC maps give the same score.
     */
    @Test
    void hebbianScoreOfAChannelPairMatchesAHandComputation() {
        useDouble();
        MultiLayerNetwork net = cnn(CNN2DFormat.NCHW, DataType.DOUBLE);
        DataSet ds = images(3, 4, CNN2DFormat.NCHW, DataType.DOUBLE);
        List<INDArray> acts = net.feedForward(ds.getFeatures(), false);
        INDArray x = acts.get(3); // c2's input: the pooled maps [3, 12, 4, 4]
        INDArray a = acts.get(4); // c2's output after ReLU [3, 8, 2, 2]
        assertArrayEquals(new long[] {3, 12, 4, 4}, x.shape());
        assertArrayEquals(new long[] {3, 8, 2, 2}, a.shape());
        double[][][][] xs = maps(x);
        double[][][][] as = maps(a);
        G2GConvolutionLayerImpl c2 = conv(net, 3);
        ActivityRecorder recorder = new ActivityRecorder(0, false, false);
        // a larger batch first: the buffers are reused for the smaller one
        recorder.recordSample(c2, Nd4j.concat(0, x, x), Nd4j.concat(0, a, a));
        recorder.recordSample(c2, x, a);
        float[] score = recorder.hebbian("c2");
        assertEquals(12 * 8, score.length);
        for (int i = 0; i < 12; i++) {
            for (int o = 0; o < 8; o++) {
                double dot = 0;
                double nx = 0;
                double na = 0;
                for (int n = 0; n < 3; n++) {
                    for (int r = 0; r < 2; r++) {
                        for (int s = 0; s < 2; s++) {
                            double xp = (xs[n][i][2 * r][2 * s] + xs[n][i][2 * r][2 * s + 1] + xs[n][i][2 * r + 1][2 * s]
                                    + xs[n][i][2 * r + 1][2 * s + 1]) / 4;
                            double ap = as[n][o][r][s];
                            dot += xp * ap;
                            nx += xp * xp;
                            na += ap * ap;
                        }
                    }
                }
                double expected = dot / ((Math.sqrt(nx) + HebbianStats.EPS) * (Math.sqrt(na) + HebbianStats.EPS));
                assertEquals(expected, score[i + o * 12], 1e-6, "pair (o " + o + ", i " + i + ")");
            }
        }
        // the same maps laid out NHWC give the same score
        MultiLayerNetwork nhwc = cnn(CNN2DFormat.NHWC, DataType.DOUBLE);
        ActivityRecorder r2 = new ActivityRecorder(0, false, false);
        r2.recordSample(conv(nhwc, 3), x.permute(0, 2, 3, 1).dup(), a.permute(0, 2, 3, 1).dup());
        assertArrayEquals(score, r2.hebbian("c2"), 1e-6f);
        // c1 (Same, stride 1): no pooling, the cosine over the raw maps
        INDArray x1 = acts.get(1);
        INDArray a1 = acts.get(2);
        recorder.recordSample(conv(net, 1), x1, a1);
        double[][][][] x1s = maps(x1);
        double[][][][] a1s = maps(a1);
        double dot = 0;
        double nx = 0;
        double na = 0;
        for (int n = 0; n < 3; n++) {
            for (int r = 0; r < 8; r++) {
                for (int s = 0; s < 8; s++) {
                    dot += x1s[n][5][r][s] * a1s[n][7][r][s];
                    nx += x1s[n][5][r][s] * x1s[n][5][r][s];
                    na += a1s[n][7][r][s] * a1s[n][7][r][s];
                }
            }
        }
        assertEquals(dot / ((Math.sqrt(nx) + HebbianStats.EPS) * (Math.sqrt(na) + HebbianStats.EPS)),
                recorder.hebbian("c1")[5 + 7 * 8], 1e-6, "pair (o 7, i 5) of c1");
    }

    /** The L2 norm of every kernel [o, i, :, :], in 'c' order of [nOut, nIn] (summed in double, as the rewirer). */
    private static float[] kernelNorms(INDArray w) {
        float[] v = Nd4j.toFlattened('c', w).toFloatVector();
        int area = (int) (w.size(2) * w.size(3));
        float[] out = new float[v.length / area];
        for (int k = 0; k < out.length; k++) {
            double s = 0;
            for (int j = k * area; j < (k + 1) * area; j++) {
                s += (double) v[j] * v[j];
            }
            out[k] = (float) Math.sqrt(s);
        }
        return out;
    }

    private static double[][][][] maps(INDArray a) {
        int n = (int) a.size(0);
        int c = (int) a.size(1);
        double[][][][] out = new double[n][c][][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                out[i][j] = a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(j)).toDoubleMatrix();
            }
        }
        return out;
    }

    @Test
    void hebbianPrunesTheLowestPairScoresAndGrowsTheHighest() {
        MultiLayerNetwork net = cnn();
        RewiringListener r = RewiringListener.builder().everyIterations(1).fraction(0.1).seed(1).logEvents(false).build();
        net.setListeners(r);
        net.fit(images(32, 5));
        assertEquals(2, r.events().size());
        for (RewiringEvent e : r.events()) {
            assertTrue(e.meanScorePruned() < e.meanScoreGrown(), e.summary());
        }
    }

    /**
     * The layer exposes its dense kernel gradient when asked: that of the same layer with every pair connected (the
     * masked kernels are 0, so the forward pass is the same); the gradient the updater reads stays masked. GRADIENT
     * growth then grows exactly the inactive pairs whose dense kernel-gradient slice has the largest L2 norm.
     */
    @Test
    void gradientGrowthReadsTheDenseKernelGradient() {
        DataSet ds = images(16, 6);
        MultiLayerNetwork net = cnn();
        for (int i = 0; i < 2; i++) {
            net.fit(ds);
        }
        G2GConvolutionLayerImpl c1 = conv(net, 1);
        MultiLayerNetwork dense = net.clone();
        conv(dense, 1).mask().assign(1);
        dense.setInput(ds.getFeatures());
        dense.setLabels(ds.getLabels());
        dense.computeGradientAndScore();
        INDArray denseGrad = dense.gradient().getGradientFor("1_W").dup();

        INDArray sink = Nd4j.create(DataType.FLOAT, c1.denseGradientShape(), 'c');
        c1.captureDenseGradient(sink);
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        c1.captureDenseGradient(null);
        assertEquals(denseGrad, sink, "the captured gradient is the dense one");
        INDArray masked = net.gradient().getGradientFor("1_W");
        INDArray off = c1.mask().rsub(1).reshape(12, 8, 1, 1).broadcast(12, 8, 3, 3);
        assertEquals(0.0, masked.mul(off).amaxNumber().doubleValue(), 0, "the updater's gradient is masked");
        assertTrue(sink.mul(off).amaxNumber().doubleValue() > 0, "the dense gradient is not");
        String m = assertThrows(IllegalArgumentException.class,
                () -> c1.captureDenseGradient(Nd4j.create(DataType.FLOAT, 8, 12))).getMessage();
        assertTrue(m.contains("[12, 8, 3, 3]") && m.contains("[8, 12]"), m);

        float[] before = Nd4j.toFlattened('c', c1.mask()).toFloatVector();
        float[] norms = kernelNorms(denseGrad);
        RewiringListener r = RewiringListener.builder().fraction(0.2).prune(PruneCriterion.RANDOM)
                .grow(GrowthCriterion.GRADIENT).seed(2).logEvents(false).build();
        RewiringInvariants.Snapshot snap = RewiringInvariants.snapshot(net);
        r.rewireNow(net, ds, 2, 0);
        RewiringInvariants.checkEvent(net, snap, MaskUpdater.Regrowth.ZERO, true);
        float[] after = Nd4j.toFlattened('c', c1.mask()).toFloatVector();
        float smallestGrown = Float.MAX_VALUE;
        float largestNotGrown = 0;
        for (int k = 0; k < before.length; k++) {
            if (before[k] == 0f && after[k] == 1f) {
                smallestGrown = Math.min(smallestGrown, norms[k]);
            } else if (before[k] == 0f) {
                largestNotGrown = Math.max(largestNotGrown, norms[k]);
            }
        }
        assertTrue(smallestGrown >= largestNotGrown, smallestGrown + " < " + largestNotGrown);
    }

    /** SMALL_RANDOM regrowth: each weight of a regrown kernel in +-0.1 x the mean |w| of the active kernels. */
    @Test
    void smallRandomRegrowthStartsKernelsSmall() {
        MultiLayerNetwork net = cnn();
        DataSet ds = images(16, 7);
        net.fit(ds);
        G2GConvolutionLayerImpl c1 = conv(net, 1);
        float[] before = Nd4j.toFlattened('c', c1.mask()).toFloatVector();
        float[] w0 = Nd4j.toFlattened('c', c1.weights()).toFloatVector();
        double sum = 0;
        int n = 0;
        for (int k = 0; k < before.length; k++) {
            for (int j = k * 9; j < (k + 1) * 9 && before[k] == 1f; j++) {
                sum += Math.abs(w0[j]);
                n++;
            }
        }
        double bound = 0.1 * sum / n;
        RewiringListener r = RewiringListener.builder().fraction(0.2).prune(PruneCriterion.MAGNITUDE)
                .grow(GrowthCriterion.RANDOM).regrowth(MaskUpdater.Regrowth.SMALL_RANDOM).seed(4).logEvents(false)
                .build();
        RewiringInvariants.Snapshot snap = RewiringInvariants.snapshot(net);
        r.rewireNow(net, ds, 1, 0);
        RewiringInvariants.checkEvent(net, snap, MaskUpdater.Regrowth.SMALL_RANDOM, true);
        float[] after = Nd4j.toFlattened('c', c1.mask()).toFloatVector();
        float[] w = Nd4j.toFlattened('c', c1.weights()).toFloatVector();
        int grownWeights = 0;
        for (int k = 0; k < before.length; k++) {
            for (int j = k * 9; j < (k + 1) * 9; j++) {
                if (before[k] == 0f && after[k] == 1f) {
                    assertTrue(w[j] != 0f && Math.abs(w[j]) <= bound, "regrown weight " + j + ": " + w[j]);
                    grownWeights++;
                } else if (before[k] == 1f && after[k] == 1f) {
                    assertEquals(Float.floatToIntBits(w0[j]), Float.floatToIntBits(w[j]), "kept weight " + j);
                }
            }
        }
        assertTrue(grownWeights > 0);
    }

    /** Saved in the middle of a Hebbian average and restored, a CNN run continues bit for bit. */
    @Test
    void resumeFromAModelFileIsBitForBit(@TempDir Path dir) throws Exception {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batches.add(images(16, 100 + i));
        }
        Supplier<RewiringListener> listener = () -> RewiringListener.builder().everyIterations(3).fraction(0.15)
                .hebbianAverage(0.8, 4).prune(PruneCriterion.HEBBIAN_MAGNITUDE).grow(GrowthCriterion.GRADIENT).seed(9)
                .logEvents(false).build();
        MultiLayerNetwork straight = cnn();
        RewiringListener r1 = listener.get();
        straight.setListeners(r1);
        for (DataSet b : batches) {
            straight.fit(b);
        }

        MultiLayerNetwork first = cnn();
        RewiringListener r2 = listener.get();
        first.setListeners(r2);
        for (int i = 0; i < 7; i++) { // stops inside an averaging window
            first.fit(batches.get(i));
        }
        assertTrue(r2.state().scores().containsKey("c1"), "an average is in progress");
        SavedRuns.Resumed back = SavedRuns.saveAndRestore(first, r2, listener.get(), dir);
        MultiLayerNetwork resumed = back.net();
        RewiringListener r3 = back.listener();
        for (int i = 7; i < 12; i++) {
            resumed.fit(batches.get(i));
        }
        assertEquals(8, r1.events().size());
        assertEquals(r1.events(), r3.events());
        assertEquals(straight.params(), resumed.params(), "parameters and masks");
        assertEquals(straight.getUpdater().getStateViewArray(), resumed.getUpdater().getStateViewArray());
        assertNotEquals(cnn().getLayer(1).getParam("M"), resumed.getLayer(1).getParam("M"), "the masks changed");
    }

    /** Same seed, same masks; another seed, other masks. */
    @Test
    void sameSeedSameMasksOtherSeedOtherMasks() {
        DataSet ds = images(16, 8);
        List<INDArray> masks = new ArrayList<>();
        for (long seed : new long[] {7, 7, 8}) {
            MultiLayerNetwork net = cnn();
            net.setListeners(RewiringListener.builder().everyIterations(2).fraction(0.3).prune(PruneCriterion.RANDOM)
                    .grow(GrowthCriterion.RANDOM).seed(seed).logEvents(false).build());
            for (int i = 0; i < 4; i++) {
                net.fit(ds);
            }
            masks.add(net.getLayer(3).getParam("M").dup());
        }
        assertEquals(masks.get(0), masks.get(1));
        assertNotEquals(masks.get(0), masks.get(2));
    }

    /** G2G convolutions and G2G dense layers in one network: both kinds are rewired, each in its own unit. */
    @Test
    void aNetworkOfConvolutionsAndDenseLayersRewiresBoth() {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2))
                .weightDecay(1e-3).weightInit(WeightInit.RELU_UNIFORM).list();
        lb.layer(new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU).build());
        lb.layer(new G2GConvolutionLayer.Builder(3, 3).name("conv").nOut(8).groups(4).pInter(0.3)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build());
        lb.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        lb.layer(new G2GDenseLayer.Builder().name("dense").nOut(16).groups(4).pInter(0.2).activation(Activation.RELU)
                .build());
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                .build());
        lb.setInputType(InputType.convolutional(8, 8, 1));
        MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
        net.init();
        RewiringListener r = RewiringListener.builder().everyIterations(2).fraction(0.2).prune(PruneCriterion.MAGNITUDE)
                .grow(GrowthCriterion.HEBBIAN).seed(3).logEvents(false).build();
        RewiringInvariants checker = RewiringInvariants.afterEveryEventOf(r);
        net.setListeners(r, checker);
        DataSet ds = images(16, 9);
        for (int i = 0; i < 4; i++) {
            net.fit(ds);
        }
        assertEquals(4, checker.events, "2 events x (1 convolution + 1 dense layer)");
        assertEquals(List.of("conv", "dense", "conv", "dense"), r.events().stream().map(RewiringEvent::layer).toList());
        assertEquals(List.of(RewiringEvent.CHANNEL_PAIRS, RewiringEvent.CONNECTIONS, RewiringEvent.CHANNEL_PAIRS,
                RewiringEvent.CONNECTIONS), r.events().stream().map(RewiringEvent::unit).toList());
        for (RewiringEvent e : r.events()) {
            assertTrue(e.pruned() > 0 && e.pruned() == e.grown(), e.summary());
        }
    }

    /** A ComputationGraph with a G2G convolution, rewired at the end of every epoch. */
    @Test
    void epochScheduleInAComputationGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2))
                .weightInit(WeightInit.RELU_UNIFORM).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("c0", new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("g", new G2GConvolutionLayer.Builder(3, 3).nOut(8).groups(4).pInter(0.3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "c0")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "g")
                .setOutputs("out").build();
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        RewiringListener r = RewiringListener.builder().everyEpochs(1).fraction(0.2).grow(GrowthCriterion.GRADIENT)
                .seed(2).logEvents(false).build();
        cg.setListeners(r);
        double active = cg.getLayer("g").getParam("M").sumNumber().doubleValue();
        var it = new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                List.of(images(8, 10), images(8, 11)), 1);
        cg.fit(it, 2);
        assertEquals(2, r.events().size());
        assertEquals(List.of(1, 3), r.events().stream().map(RewiringEvent::iteration).toList());
        assertEquals(active, cg.getLayer("g").getParam("M").sumNumber().doubleValue(), 0);
        G2GConvolutionLayerImpl g = (G2GConvolutionLayerImpl) cg.getLayer("g");
        INDArray off = g.mask().rsub(1).reshape(8, 8, 1, 1).broadcast(8, 8, 3, 3);
        assertEquals(0.0, g.weights().mul(off).amaxNumber().doubleValue(), 0);
    }

    /** A G2G layer of a kind no rewirer handles is refused, naming it: never skipped in silence. */
    @Test
    void aG2GLayerOfAnUnknownKindIsRefusedByName() {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder()
                .layer(new DenseLayer.Builder().name("future").nIn(4).nOut(3).build()).build();
        FutureG2GLayer layer = new FutureG2GLayer(conf);
        layer.setIndex(2);
        RewiringConfig config = RewiringConfig.builder().build();
        String m = assertThrows(IllegalStateException.class, () -> LayerRewirer.of(layer, config)).getMessage();
        assertTrue(m.contains("'future'") && m.contains("index 2") && m.contains("FutureG2GLayer")
                && m.contains("cannot rewire"), m);
        // DL4J's own layers have no units, and each G2G kind has one
        MultiLayerNetwork net = cnn();
        assertEquals(0, LayerRewirer.of(net.getLayer(0), config).size());
        assertEquals(1, LayerRewirer.of(net.getLayer(1), config).size());
        assertTrue(LayerRewirer.of(net.getLayer(1), config).get(0) instanceof ChannelPairRewirer);
    }

    /** A layer of a G2G kind the listener knows nothing about (it stands for one added after the listener). */
    private static final class FutureG2GLayer extends org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer
            implements G2GLayer {
        FutureG2GLayer(NeuralNetConfiguration conf) {
            super(conf, DataType.FLOAT);
        }

        @Override
        public String name() {
            return "future";
        }

        @Override
        public ConnectionMask currentMask() {
            return null;
        }

        @Override
        public long activeConnections() {
            return 0;
        }

        @Override
        public long totalConnections() {
            return 0;
        }

        @Override
        public long activeParams() {
            return 0;
        }
    }

    /** The shared checker is not vacuous for convolutions: it notices a kernel left behind, or a pair grown alone. */
    @Test
    void theInvariantCheckerNoticesABrokenConvolutionEvent() {
        MultiLayerNetwork net = cnn();
        G2GConvolutionLayerImpl c1 = conv(net, 1);
        RewiringInvariants.Snapshot before = RewiringInvariants.snapshot(net);
        float[] m = Nd4j.toFlattened('c', c1.mask()).toFloatVector();
        int off = 0;
        while (m[off] != 0f) {
            off++;
        }
        c1.weights().putScalar(new long[] {off / 8, off % 8, 1, 2}, 0.5);
        String msg = assertThrows(AssertionError.class, () -> RewiringInvariants.checkEvent(net, before,
                MaskUpdater.Regrowth.ZERO, false)).getMessage();
        assertTrue(msg.contains("kernel of pair " + off + " is 0"), msg);
        c1.weights().putScalar(new long[] {off / 8, off % 8, 1, 2}, 0.0);
        c1.mask().putScalar(off / 8, off % 8, 1.0);
        msg = assertThrows(AssertionError.class, () -> RewiringInvariants.checkEvent(net, before,
                MaskUpdater.Regrowth.ZERO, false)).getMessage();
        assertTrue(msg.contains("active channel pairs"), msg);
    }

    /** The mutation point refuses a step that would break an invariant, naming the layer and the pair. */
    @Test
    void theMaskUpdaterRefusesBrokenSteps() {
        MultiLayerNetwork net = cnn();
        G2GConvolutionLayerImpl c1 = conv(net, 1);
        float[] m = Nd4j.toFlattened('c', c1.mask()).toFloatVector();
        int on = 0;
        while (m[on] != 1f) {
            on++;
        }
        int off = 0;
        while (m[off] != 0f) {
            off++;
        }
        int active = on;
        int inactive = off;
        var rng = new java.util.SplittableRandom(1);
        String msg = assertThrows(IllegalStateException.class, () -> MaskUpdater.apply(c1, m, new int[] {inactive},
                new int[] {active}, MaskUpdater.Regrowth.ZERO, 0, null, rng)).getMessage();
        assertTrue(msg.contains("layer c1") && msg.contains("pruned but not active"), msg);
        msg = assertThrows(IllegalStateException.class, () -> MaskUpdater.apply(c1, m, new int[] {active},
                new int[] {inactive, inactive}, MaskUpdater.Regrowth.ZERO, 0, null, rng)).getMessage();
        assertTrue(msg.contains("pruned 1 but grew 2"), msg);
        // nothing was written
        assertArrayEquals(m, Nd4j.toFlattened('c', c1.mask()).toFloatVector());
        Set<Integer> unchanged = new HashSet<>();
        float[] done = MaskUpdater.apply(c1, m, new int[] {active}, new int[] {inactive}, MaskUpdater.Regrowth.ZERO, 0,
                null, rng);
        for (int k = 0; k < m.length; k++) {
            if (m[k] == done[k]) {
                unchanged.add(k);
            }
        }
        assertEquals(m.length - 2, unchanged.size());
        assertNotNull(done);
    }
}
