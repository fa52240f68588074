package org.g2gnet.rewiring;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.g2gnet.conf.G2GParamInitializer;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.layers.TiledConnections;
import org.g2gnet.topology.TileLayout;
import org.g2gnet.util.EnumNames;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The single place that changes a layer's connections after initialisation: the mask of a masked layer, the
 * slot tiles (index) of a structured one, the channel-pair mask of a convolution. One call applies one
 * prune-and-regrow step to one layer and checks the invariants there:
 * <ul>
 *   <li>pruned entries were active and grown entries were inactive, none is both, as many grown as pruned,
 *       so the active count of the layer is unchanged (a convolution: the active channel-pair count);</li>
 *   <li>M stays 0/1 and W is exactly 0 wherever M is 0 (structured: every group keeps its own input group and c
 *       distinct tiles of other groups, and the index holds the layout of the new slots; convolution: the whole
 *       kernel W[o, i, :, :] of every pair with M[o, i] = 0);</li>
 *   <li>regrown weights start at 0 (or at a small random value when asked), and every other weight keeps its
 *       value bit for bit;</li>
 *   <li>the updater state (e.g. Adam's m and v) of every changed entry is reset to 0, so that pruned
 *       weights cannot drift back.</li>
 * </ul>
 * A violated invariant throws {@link IllegalStateException}: it is a bug, never silently repaired.
 */
public final class MaskUpdater {
    /** How regrown weights start. */
    public enum Regrowth {
        /** Exactly 0 (RigL). */
        ZERO,
        /** Uniform in +-0.1 * mean |w| of the layer's active weights (masked dense layers and convolutions). */
        SMALL_RANDOM;

        /**
         * @param name zero, or small-random (or small), case-insensitive
         * @return the regrowth
         */
        public static Regrowth parse(String name) {
            return EnumNames.parse(Regrowth.class, name, "regrowth", Map.of("small", SMALL_RANDOM));
        }
    }

    private MaskUpdater() {
    }

    /**
     * Applies one rewiring step to a masked layer.
     *
     * @param layer         the layer
     * @param oldMask       the layer's mask before the step, host copy in 'f' order
     * @param pruned        entries to deactivate ('f'-order flat indices)
     * @param grown         entries to activate
     * @param regrowth      how grown weights start
     * @param meanAbsActive mean |w| over the active weights before the step (for SMALL_RANDOM)
     * @param updater       the network's updater (may be null before the first fit)
     * @param rng           randomness for SMALL_RANDOM
     * @param scratch       a detached array shaped like the weights, overwritten (avoids an allocation per event)
     * @return the new mask, host copy
     */
    public static float[] apply(G2GDenseLayerImpl layer, float[] oldMask, int[] pruned, int[] grown,
                                Regrowth regrowth, double meanAbsActive, Updater updater, SplittableRandom rng,
                                INDArray scratch) {
        String who = "rewiring of layer " + layer.name();
        float[] newMask = changedMask(who, oldMask, pruned, grown);
        // keep = entries active both before and after: W and optimizer state survive only there
        float[] keep = new float[oldMask.length];
        for (int k = 0; k < keep.length; k++) {
            keep[k] = oldMask[k] * newMask[k];
        }
        INDArray w = layer.weights();
        HostArrays.assign(keep, scratch);
        HostArrays.assign(newMask, layer.mask());
        w.muli(scratch);
        if (regrowth == Regrowth.SMALL_RANDOM && grown.length > 0) {
            // only the grown entries are written, each rounded once to the network's precision
            double s = 0.1 * meanAbsActive;
            double[] values = new double[grown.length];
            for (int i = 0; i < grown.length; i++) {
                values[i] = (rng.nextDouble() * 2 - 1) * s;
            }
            HostArrays.put(w, grown, values);
        }
        resetUpdaterState(layer, G2GParamInitializer.WEIGHT_KEY, updater, scratch);
        checkInvariants(who, layer, oldMask, newMask);
        return newMask;
    }

    /**
     * The mask after a step, checked: the old one is 0/1, every pruned entry was active, every grown one inactive,
     * none is grown twice or both pruned and grown, and as many are grown as pruned (an entry pruned twice shows as
     * a changed active count, checked once the step is written).
     */
    private static float[] changedMask(String who, float[] oldMask, int[] pruned, int[] grown) {
        for (int k = 0; k < oldMask.length; k++) {
            if (oldMask[k] != 0f && oldMask[k] != 1f) {
                throw new IllegalStateException(who + ": mask entry " + k + " is " + oldMask[k] + " (M must be 0 or 1)");
            }
        }
        if (pruned.length != grown.length) {
            throw new IllegalStateException(who + ": pruned " + pruned.length + " but grew " + grown.length);
        }
        float[] newMask = oldMask.clone();
        for (int k : pruned) {
            if (oldMask[k] != 1f) {
                throw new IllegalStateException(who + ": entry " + k + " pruned but not active");
            }
            newMask[k] = 0f;
        }
        for (int k : grown) {
            if (oldMask[k] != 0f || newMask[k] != 0f) {
                throw new IllegalStateException(who + ": entry " + k + " grown but already active or pruned/grown twice");
            }
            newMask[k] = 1f;
        }
        return newMask;
    }

    /**
     * Applies one rewiring step to a G2G convolution, a channel pair (o, i) at a time: a pruned pair's whole kernel
     * W[o, i, :, :] is set to 0 and M[o, i] to 0; a grown pair gets M[o, i] = 1 and a kernel of exactly 0 (with
     * SMALL_RANDOM, each of its kH x kW weights uniform in +-0.1 x {@code meanAbsActive}, drawn pair by pair in the
     * order of {@code grown}, kernel positions in row-major order); the updater state of every changed kernel is
     * reset. Every other weight keeps its value bit for bit.
     *
     * @param layer         the layer
     * @param oldMask       its channel-pair mask before the step, host copy of M [nOut, nIn] in 'c' order (pair
     *                      (o, i) at {@code i + o * nIn})
     * @param pruned        pairs to deactivate (indices into oldMask)
     * @param grown         pairs to activate
     * @param regrowth      how grown kernels start
     * @param meanAbsActive mean |w| over the weights of the active kernels before the step (for SMALL_RANDOM)
     * @param updater       the network's updater (may be null before the first fit)
     * @param rng           randomness for SMALL_RANDOM
     * @return the new mask, host copy in the same order
     */
    public static float[] apply(G2GConvolutionLayerImpl layer, float[] oldMask, int[] pruned, int[] grown,
                                Regrowth regrowth, double meanAbsActive, Updater updater, SplittableRandom rng) {
        String who = "rewiring of layer " + layer.name();
        float[] newMask = changedMask(who, oldMask, pruned, grown);
        INDArray w = layer.weights();
        INDArray m = layer.mask();
        int area = (int) layer.weightsPerMaskEntry();
        // keep = kernels of pairs active both before and after, in W's own layout [nOut, nIn, kH, kW] 'c'
        float[] keep = new float[oldMask.length * area];
        for (int k = 0; k < oldMask.length; k++) {
            if (oldMask[k] * newMask[k] != 0f) {
                Arrays.fill(keep, k * area, (k + 1) * area, 1f);
            }
        }
        INDArray keepArr = HostArrays.array(keep, w.shape(), 'c', w.dataType());
        m.assign(HostArrays.array(newMask, m.shape(), 'c', m.dataType()));
        w.muli(keepArr);
        if (regrowth == Regrowth.SMALL_RANDOM && grown.length > 0) {
            double s = 0.1 * meanAbsActive;
            long nOut = w.size(0);
            long nIn = w.size(1);
            long kH = w.size(2);
            int[] idx = new int[grown.length * area];
            double[] values = new double[idx.length];
            for (int g = 0; g < grown.length; g++) {
                long o = grown[g] / nIn;
                long i = grown[g] % nIn;
                for (int p = 0; p < area; p++) {
                    long y = p / w.size(3);
                    long x = p % w.size(3);
                    // HostArrays.put takes 'f'-order indices of [nOut, nIn, kH, kW]
                    idx[g * area + p] = (int) (o + nOut * (i + nIn * (y + kH * x)));
                    values[g * area + p] = (rng.nextDouble() * 2 - 1) * s;
                }
            }
            HostArrays.put(w, idx, values);
        }
        resetUpdaterState(layer, G2GParamInitializer.WEIGHT_KEY, updater, keepArr);
        checkKernelInvariants(who, layer, oldMask, newMask, grown, regrowth, area);
        return newMask;
    }

    /** Reads M and W back from the network and checks them against what was meant to be written. */
    private static void checkKernelInvariants(String who, G2GConvolutionLayerImpl layer, float[] oldMask,
                                              float[] newMask, int[] grown, Regrowth regrowth, int area) {
        checkCountKept(who + ": active channel-pair count", oldMask, newMask);
        float[] m = HostArrays.toFloatsC(layer.mask());
        float[] w = HostArrays.toFloatsC(layer.weights());
        long nIn = layer.mask().size(1);
        for (int k = 0; k < m.length; k++) {
            if (m[k] != newMask[k]) {
                throw new IllegalStateException(who + ": mask entry (o " + k / nIn + ", i " + k % nIn + ") is " + m[k]
                        + ", expected " + newMask[k] + " (M must be 0/1 and equal the new mask)");
            }
            if (m[k] == 0f) {
                checkZeroKernel(who, w, k, area, "where the mask is 0", layer);
            }
        }
        if (regrowth == Regrowth.ZERO) {
            for (int k : grown) {
                checkZeroKernel(who, w, k, area, "regrown (it must start at 0)", layer);
            }
        }
    }

    private static void checkZeroKernel(String who, float[] w, int pair, int area, String why,
                                        G2GConvolutionLayerImpl layer) {
        for (int j = pair * area; j < (pair + 1) * area; j++) {
            if (w[j] != 0f) {
                long nIn = layer.mask().size(1);
                throw new IllegalStateException(who + ": kernel weight " + (j - pair * area) + " of channel pair (o "
                        + pair / nIn + ", i " + pair % nIn + ") is " + w[j] + " " + why);
            }
        }
    }

    /**
     * Applies one rewiring step to a layer in structured execution (a structured layer or an inner layer of a
     * block): the changed slots read their new tiles, their weights start at 0 and their updater state (in the
     * updater of the layer that holds the weights, {@link TiledConnections#owner()}, under
     * {@link TiledConnections#weightParam()}) is reset.
     *
     * @param layer    the layer
     * @param oldSlots its slot tiles before the step, [G][c]
     * @param newSlots its slot tiles after the step, [G][c]
     * @param updater  the network's updater (may be null before the first fit)
     */
    public static void apply(TiledConnections layer, int[][] oldSlots, int[][] newSlots, Updater updater) {
        String who = "rewiring of layer " + layer.name();
        TileLayout t = layer.layout();
        try {
            t.checkSlots(newSlots);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(who + ": " + e.getMessage(), e);
        }
        int groups = t.groups();
        int k = t.fanIn();
        int mg = t.outGroupSize();
        int ng = t.inGroupSize();
        int[][] idx = t.inputIndex(newSlots);
        float[] flat = new float[groups * k];
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < k; i++) {
                flat[g * k + i] = idx[g][i];
            }
        }
        INDArray w = layer.weights();
        float[] keep = new float[(int) w.length()];
        Arrays.fill(keep, 1f);
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < t.slots(); j++) {
                if (newSlots[g][j] != oldSlots[g][j]) {
                    for (int r = ng + j * t.tile(); r < ng + (j + 1) * t.tile(); r++) {
                        Arrays.fill(keep, (g * k + r) * mg, (g * k + r + 1) * mg, 0f);
                    }
                }
            }
        }
        INDArray keepArr = HostArrays.array(keep, w.shape(), 'c', w.dataType());
        layer.index().assign(HostArrays.array(flat, new long[] {groups, k}, 'c', layer.index().dataType()));
        w.muli(keepArr);
        resetUpdaterState(layer.owner(), layer.weightParam(), updater, keepArr);
        // invariants, read back from the network
        if (!Arrays.deepEquals(layer.hostIndex(), idx)) {
            throw new IllegalStateException(who + ": the index parameter does not hold the new layout");
        }
        float[] wBack = HostArrays.toFloatsC(layer.weights());
        for (int i = 0; i < keep.length; i++) {
            if (keep[i] == 0f && wBack[i] != 0f) {
                throw new IllegalStateException(who + ": regrown weight " + i + " is " + wBack[i] + ", not 0");
            }
        }
    }

    /** A rewiring step moves connections: as many are active after it as before. */
    private static void checkCountKept(String what, float[] oldMask, float[] newMask) {
        long before = 0;
        long after = 0;
        for (int k = 0; k < oldMask.length; k++) {
            before += (long) oldMask[k];
            after += (long) newMask[k];
        }
        if (before != after) {
            throw new IllegalStateException(what + " changed from " + before + " to " + after);
        }
    }

    /** Reads M and W back from the network and checks them against what was meant to be written. */
    private static void checkInvariants(String who, G2GDenseLayerImpl layer, float[] oldMask, float[] newMask) {
        checkCountKept(who + ": active count", oldMask, newMask);
        float[] m = HostArrays.toFloats(layer.mask());
        float[] w = HostArrays.toFloats(layer.weights());
        for (int k = 0; k < m.length; k++) {
            if (m[k] != newMask[k]) {
                throw new IllegalStateException(who + ": mask entry " + k + " is " + m[k] + ", expected " + newMask[k]
                        + " (M must be 0/1 and equal the new mask)");
            }
            if (m[k] == 0f && w[k] != 0f) {
                throw new IllegalStateException(who + ": weight " + k + " is " + w[k] + " where the mask is 0");
            }
        }
    }

    /**
     * Multiplies the updater state of one weight parameter of a layer by {@code keep}, resetting every changed entry.
     * Works for any DL4J updater whose state arrays run parallel to the parameters (Adam, Nadam, AMSGrad,
     * AdaMax, RmsProp, AdaGrad, AdaDelta, Nesterovs); stateless updaters (Sgd, NoOp) have nothing to reset.
     *
     * @param layer   the network layer holding the parameter
     * @param param   the parameter's key in the layer's parameter table ("W"; a block's inner layer k: "W" + k)
     * @param updater the network's updater (may be null before the first fit)
     * @param keep    1 where the state stays, 0 where it is reset, in the parameter's own shape and order
     */
    static void resetUpdaterState(Layer layer, String param, Updater updater, INDArray keep) {
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi)) {
            return;
        }
        long n = keep.length();
        // keep has the weight parameter's own layout, so flattening it in its own order gives storage order
        INDArray keepFlat = keep.reshape(keep.ordering(), new long[] {n});
        for (UpdaterBlock block : (List<UpdaterBlock>) multi.getUpdaterBlocks()) {
            for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                if (ps.getLayer() != layer || !param.equals(ps.getParamName())) {
                    continue;
                }
                long offset = ps.getParamOffsetStart() - block.getParamOffsetStart();
                Map<String, INDArray> state = block.getGradientUpdater().getState();
                if (state == null) {
                    continue;
                }
                for (Map.Entry<String, INDArray> e : state.entrySet()) {
                    INDArray s = e.getValue();
                    long blockLength = block.getParamOffsetEnd() - block.getParamOffsetStart();
                    if (s == null || s.length() != blockLength) {
                        throw new IllegalStateException("rewiring of layer " + layer.getIndex() + ": updater state '"
                                + e.getKey() + "' has length " + (s == null ? 0 : s.length())
                                + ", not the block's parameter count " + blockLength + "; cannot reset it");
                    }
                    INDArray view = s.reshape(s.length()).get(NDArrayIndex.interval(offset, offset + n));
                    view.muli(keepFlat);
                }
            }
        }
    }
}
