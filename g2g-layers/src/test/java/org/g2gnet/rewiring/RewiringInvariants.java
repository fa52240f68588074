package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.g2gnet.layers.G2GBlockImpl;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.layers.G2GStructuredLayerImpl;
import org.g2gnet.layers.TiledConnections;
import org.g2gnet.topology.TileLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What rewiring must keep, checked from outside the listener on the network itself, for masked and structured
 * layers, the inner layers of blocks and convolutions alike (a convolution's unit is a channel pair, its weights a whole kernel). As a training listener placed after the rewiring listener it checks after every step that each
 * layer's active count is unchanged, M is 0/1 and W is 0 wherever M is 0 (structured: the index is a valid tile
 * layout); given the rewiring listener it also checks after every event that regrown weights start at 0 (unless
 * SMALL_RANDOM), the updater state of every changed entry is 0 and the event changed something. The same checks
 * run around a {@link RewiringListener#rewireNow} call through {@link #snapshot} and {@link #checkEvent}.
 */
final class RewiringInvariants extends BaseTrainingListener {
    private final RewiringListener rewiring;
    private final Map<Integer, Double> activeAtStart = new HashMap<>();
    private Snapshot before;
    /** Layer events checked (one per G2G layer and event). */
    int events;
    /** Steps checked. */
    int steps;

    private RewiringInvariants(RewiringListener rewiring) {
        this.rewiring = rewiring;
    }

    /** @return a checker of what holds after every step, whatever rewires the network */
    static RewiringInvariants afterEveryStep() {
        return new RewiringInvariants(null);
    }

    /**
     * @param rewiring the listener whose (iteration) schedule tells which steps end with an event
     * @return a checker of every step and every event of that listener
     */
    static RewiringInvariants afterEveryEventOf(RewiringListener rewiring) {
        return new RewiringInvariants(rewiring);
    }

    @Override
    public void onGradientCalculation(Model model) {
        for (Layer l : layers(model)) {
            if (l instanceof G2GDenseLayerImpl g) {
                activeAtStart.computeIfAbsent(g.getIndex(), k -> g.mask().sumNumber().doubleValue());
            } else if (l instanceof G2GConvolutionLayerImpl c) {
                activeAtStart.computeIfAbsent(c.getIndex(), k -> c.mask().sumNumber().doubleValue());
            }
        }
        if (rewiring != null && rewiring.schedule().isEventIteration(iterationCount(model))) {
            before = snapshot(model);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        for (Layer l : layers(model)) {
            if (l instanceof G2GDenseLayerImpl g) {
                String who = "layer " + g.name() + " after step " + iteration;
                INDArray m = g.mask();
                assertEquals(activeAtStart.get(g.getIndex()), m.sumNumber().doubleValue(), 0, who + ": active count");
                assertEquals(0.0, m.mul(m.rsub(1)).amaxNumber().doubleValue(), 0, who + ": M is 0/1");
                assertEquals(0.0, g.weights().mul(m.rsub(1)).amaxNumber().doubleValue(), 0, who + ": W == 0 where M == 0");
            } else if (l instanceof G2GStructuredLayerImpl || l instanceof G2GBlockImpl) {
                for (TiledConnections s : tiled(l)) {
                    s.layout().checkSlots(s.slots()); // slots() also checks that the index is a valid layout
                }
            } else if (l instanceof G2GConvolutionLayerImpl c) {
                String who = "layer " + c.name() + " after step " + iteration;
                INDArray m = c.mask();
                assertEquals(activeAtStart.get(c.getIndex()), m.sumNumber().doubleValue(), 0, who + ": active pairs");
                assertEquals(0.0, m.mul(m.rsub(1)).amaxNumber().doubleValue(), 0, who + ": M is 0/1");
                assertEquals(0.0, offKernels(c).amaxNumber().doubleValue(), 0, who + ": W[o, i] == 0 where M[o, i] == 0");
            }
        }
        steps++;
        if (before != null && rewiring.schedule().isEventIteration(iteration)) {
            events += checkEvent(model, before, rewiring.config().regrowth(), true);
            before = null;
        }
    }

    /**
     * What the G2G layers of a network held: masks (host, 'f' order) by layer index, and slot tiles by layer name
     * (an inner layer of a block: "block/k").
     */
    record Snapshot(Map<Integer, float[]> masks, Map<String, int[][]> slots) {
    }

    /** @return the tiled connections of a structured layer (itself) or a block (its inner layers) */
    static List<TiledConnections> tiled(Layer l) {
        if (l instanceof G2GBlockImpl b) {
            List<TiledConnections> out = new ArrayList<>();
            for (int k = 0; k < b.depth(); k++) {
                out.add(b.inner(k));
            }
            return out;
        }
        return List.of((G2GStructuredLayerImpl) l);
    }

    /**
     * @param model a network
     * @return its G2G layers' masks and slots now
     */
    static Snapshot snapshot(Model model) {
        Map<Integer, float[]> masks = new HashMap<>();
        Map<String, int[][]> slots = new HashMap<>();
        for (Layer l : layers(model)) {
            if (l instanceof G2GDenseLayerImpl g) {
                masks.put(g.getIndex(), host(g.mask()));
            } else if (l instanceof G2GStructuredLayerImpl || l instanceof G2GBlockImpl) {
                for (TiledConnections s : tiled(l)) {
                    slots.put(s.name(), s.slots());
                }
            } else if (l instanceof G2GConvolutionLayerImpl c) {
                masks.put(c.getIndex(), Nd4j.toFlattened('c', c.mask()).toFloatVector());
            }
        }
        return new Snapshot(masks, slots);
    }

    /**
     * Checks one event against what the layers held before it.
     *
     * @param model         the network after the event
     * @param before        its snapshot before the event
     * @param regrowth      how regrown weights start
     * @param requireChange whether every layer must have changed
     * @return the number of layers checked
     */
    static int checkEvent(Model model, Snapshot before, MaskUpdater.Regrowth regrowth, boolean requireChange) {
        int checked = 0;
        for (Layer l : layers(model)) {
            if (l instanceof G2GDenseLayerImpl g) {
                checkMasked(model, g, before.masks().get(g.getIndex()), regrowth, requireChange);
                checked++;
            } else if (l instanceof G2GStructuredLayerImpl || l instanceof G2GBlockImpl) {
                for (TiledConnections s : tiled(l)) {
                    checkStructured(model, s, before.slots().get(s.name()), requireChange);
                    checked++;
                }
            } else if (l instanceof G2GConvolutionLayerImpl c) {
                checkConvolution(model, c, before.masks().get(c.getIndex()), regrowth, requireChange);
                checked++;
            }
        }
        return checked;
    }

    /** Pairs in 'c' order of M [nOut, nIn] (i + o * nIn); kernels in W's 'c' order, kH * kW values per pair. */
    private static void checkConvolution(Model model, G2GConvolutionLayerImpl c, float[] before,
                                         MaskUpdater.Regrowth regrowth, boolean requireChange) {
        String who = "layer " + c.name();
        float[] after = Nd4j.toFlattened('c', c.mask()).toFloatVector();
        float[] w = Nd4j.toFlattened('c', c.weights()).toFloatVector();
        int area = (int) (w.length / after.length);
        List<float[]> state = updaterStateOfW(model, c);
        int changed = 0;
        int activeBefore = 0;
        int activeAfter = 0;
        for (int k = 0; k < after.length; k++) {
            assertTrue(after[k] == 0f || after[k] == 1f, who + ": M is 0/1");
            activeBefore += (int) before[k];
            activeAfter += (int) after[k];
            boolean grown = after[k] == 1f && before[k] == 0f;
            for (int j = k * area; j < (k + 1) * area; j++) {
                if (after[k] == 0f || (grown && regrowth == MaskUpdater.Regrowth.ZERO)) {
                    assertEquals(0.0, w[j], 0.0, who + ": kernel of pair " + k + " is 0 (M " + after[k] + ", before "
                            + before[k] + "), weight " + j);
                }
                if (after[k] != before[k]) {
                    for (float[] st : state) {
                        assertEquals(0.0, st[j], 0.0, who + ": updater state of changed kernel " + k + " is 0");
                    }
                }
            }
            changed += after[k] != before[k] ? 1 : 0;
        }
        assertEquals(activeBefore, activeAfter, who + ": active channel pairs");
        assertTrue(!requireChange || changed > 0, who + ": the event changed something");
    }

    /** |W| where the kernel's channel pair is masked off, [nOut, nIn, kH, kW]. */
    private static INDArray offKernels(G2GConvolutionLayerImpl c) {
        INDArray w = c.weights();
        INDArray off = c.mask().rsub(1).reshape(w.size(0), w.size(1), 1, 1).broadcast(w.shape());
        return Transforms.abs(w.mul(off));
    }

    private static void checkMasked(Model model, G2GDenseLayerImpl g, float[] before, MaskUpdater.Regrowth regrowth,
                                     boolean requireChange) {
        String who = "layer " + g.name();
        float[] after = host(g.mask());
        float[] w = host(g.weights());
        List<float[]> state = updaterStateOfW(model, g);
        int changed = 0;
        int activeBefore = 0;
        int activeAfter = 0;
        for (int k = 0; k < after.length; k++) {
            assertTrue(after[k] == 0f || after[k] == 1f, who + ": M is 0/1");
            activeBefore += (int) before[k];
            activeAfter += (int) after[k];
            if (after[k] == 0f) {
                assertEquals(0.0, w[k], 0.0, who + ": W == 0 where M == 0, entry " + k);
            }
            if (after[k] != before[k]) {
                changed++;
                if (after[k] == 1f && regrowth == MaskUpdater.Regrowth.ZERO) {
                    assertEquals(0.0, w[k], 0.0, who + ": regrown weight " + k + " starts at 0");
                }
                for (float[] s : state) {
                    assertEquals(0.0, s[k], 0.0, who + ": updater state of changed entry " + k + " is 0");
                }
            }
        }
        assertEquals(activeBefore, activeAfter, who + ": active count");
        assertTrue(!requireChange || changed > 0, who + ": the event changed something");
    }

    private static void checkStructured(Model model, TiledConnections s, int[][] before, boolean requireChange) {
        String who = "layer " + s.name();
        int[][] now = s.slots();
        TileLayout t = s.layout();
        t.checkSlots(now);
        assertArrayEquals(t.inputIndex(now), s.hostIndex(), who + ": the index holds the layout of the slots");
        float[] w = Nd4j.toFlattened('c', s.weights()).toFloatVector();
        List<float[]> state = updaterStateOf(model, s.owner(), s.weightParam());
        int k = t.fanIn();
        int mg = t.outGroupSize();
        int changed = 0;
        for (int g = 0; g < now.length; g++) {
            for (int j = 0; j < now[g].length; j++) {
                if (now[g][j] == before[g][j]) {
                    continue;
                }
                changed++;
                for (int r = t.inGroupSize() + j * t.tile(); r < t.inGroupSize() + (j + 1) * t.tile(); r++) {
                    for (int o = 0; o < mg; o++) {
                        int i = (g * k + r) * mg + o;
                        assertEquals(0.0, w[i], 0.0, who + ": regrown weight " + i + " starts at 0");
                        for (float[] st : state) {
                            assertEquals(0.0, st[i], 0.0, who + ": updater state of regrown weight " + i + " is 0");
                        }
                    }
                }
            }
        }
        assertTrue(!requireChange || changed > 0, who + ": the event changed something");
    }

    /**
     * The updater state arrays (e.g. Adam's m and v) of a layer's W, each in W's storage order ('f' for masked
     * layers, 'c' for the compact weights of structured ones).
     *
     * @param model the network
     * @param layer one of its layers
     * @return one array per state variable (none for stateless updaters)
     */
    static List<float[]> updaterStateOfW(Model model, Layer layer) {
        return updaterStateOf(model, layer, "W");
    }

    /**
     * @param model the network
     * @param layer one of its layers
     * @param param the key of one of its weight parameters (a block's inner layer k: "W" + k)
     * @return the updater state arrays of that parameter, each in its storage order
     */
    static List<float[]> updaterStateOf(Model model, Layer layer, String param) {
        BaseMultiLayerUpdater<?> u = (BaseMultiLayerUpdater<?>) (model instanceof MultiLayerNetwork m
                ? m.getUpdater() : ((ComputationGraph) model).getUpdater());
        List<float[]> out = new ArrayList<>();
        long n = layer.getParam(param).length();
        for (UpdaterBlock b : u.getUpdaterBlocks()) {
            for (UpdaterBlock.ParamState ps : b.getLayersAndVariablesInBlock()) {
                if (ps.getLayer() == layer && ps.getParamName().equals(param)) {
                    long off = ps.getParamOffsetStart() - b.getParamOffsetStart();
                    for (Object o : b.getGradientUpdater().getState().values()) {
                        INDArray s = (INDArray) o;
                        out.add(s.reshape(s.length()).get(NDArrayIndex.interval(off, off + n)).dup().toFloatVector());
                    }
                }
            }
        }
        return out;
    }

    private static float[] host(INDArray a) {
        return Nd4j.toFlattened('f', a).toFloatVector();
    }

    private static Layer[] layers(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getLayers() : ((ComputationGraph) model).getLayers();
    }

    private static int iterationCount(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getIterationCount()
                : ((ComputationGraph) model).getIterationCount();
    }
}
