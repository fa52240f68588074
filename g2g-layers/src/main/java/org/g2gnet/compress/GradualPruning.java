package org.g2gnet.compress;

import java.util.Arrays;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Prunes the connections outside a plan gradually while a dense network trains (used by
 * {@link Compressor#compressGradually}): every {@value #EVERY} iterations, the share z(t) = 1 - (1 - t / T)^3 of each
 * layer's connections outside the plan with the smallest |w| is set to 0 (Zhu and Gupta, "To prune, or not to prune",
 * 2017: the cubic schedule), with T three quarters of the run; from T on, after every iteration, all of them. The
 * connections in the plan are never touched. Changes the weights in place in {@code iterationDone}, after the update.
 *
 * <p>Written here rather than taken from a library: DL4J has no pruning, and the schedule must prune towards a given
 * structure (the plan), which the magnitude pruners of other ecosystems do not.</p>
 */
final class GradualPruning extends BaseTrainingListener {
    /** Iterations between pruning steps before the end of the schedule. */
    static final int EVERY = 10;

    private final Map<Integer, INDArray> keep;
    private final Map<Integer, boolean[]> outside = new java.util.HashMap<>();
    /** Per layer, how many connections lie outside the plan. */
    private final Map<Integer, Integer> outsideCount = new java.util.HashMap<>();
    private final long end;
    private long t;

    /**
     * @param keep  per layer index, the 0/1 matrix [nIn, nOut] of the connections the plan keeps
     * @param total iterations the training will run
     */
    GradualPruning(Map<Integer, INDArray> keep, long total) {
        this.keep = keep;
        this.end = Math.max(1, Math.round(0.75 * total));
        for (var e : keep.entrySet()) {
            float[] k = e.getValue().dup('c').data().asFloat();
            boolean[] out = new boolean[k.length];
            int count = 0;
            for (int i = 0; i < k.length; i++) {
                out[i] = k[i] == 0;
                count += out[i] ? 1 : 0;
            }
            outside.put(e.getKey(), out);
            outsideCount.put(e.getKey(), count);
        }
    }

    /** The share of the connections outside the plan that are pruned after {@code step} iterations. */
    static double share(long step, long end) {
        if (step >= end) {
            return 1;
        }
        double r = 1 - (double) step / end;
        return 1 - r * r * r;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        t++;
        if (t < end && t % EVERY != 0) {
            return;
        }
        prune((MultiLayerNetwork) model, share(t, end));
    }

    /** Prunes every connection outside the plan (called once training ends). */
    void finish(MultiLayerNetwork net) {
        prune(net, 1);
    }

    private void prune(MultiLayerNetwork net, double share) {
        for (var e : keep.entrySet()) {
            INDArray w = net.getLayer(e.getKey()).getParam("W");
            if (share >= 1) {
                w.muli(e.getValue());
                continue;
            }
            boolean[] out = outside.get(e.getKey());
            int count = outsideCount.get(e.getKey());
            INDArray abs = Transforms.abs(w, true);
            float[] a = abs.dup('c').data().asFloat();
            int prune = (int) Math.floor(share * count);
            if (prune == 0) {
                continue;
            }
            float[] cand = new float[count];
            for (int i = 0, c = 0; i < a.length; i++) {
                if (out[i]) {
                    cand[c++] = a[i];
                }
            }
            Arrays.sort(cand);
            float threshold = cand[prune - 1];
            // kept: the plan's connections, and those outside it above the threshold
            INDArray above = abs.gt(threshold).castTo(w.dataType());
            INDArray m = above.muli(e.getValue().rsub(1)).addi(e.getValue());
            w.muli(m);
        }
    }
}
