package org.g2gnet.activity;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import org.g2gnet.arrays.HostArrays;
import org.g2gnet.arrays.Workspaces;

/**
 * Buffers, owned by a listener and detached from workspaces, that reduce one layer's activations of a
 * mini-batch to the Hebbian score matrix {@code C = Xn^T An} [nIn, nOut]: the cosine similarity, over the
 * samples of the batch, between every pre-synaptic column {@code x_i} and post-synaptic column
 * {@code a_o} (each column L2-normalised, no centring, eps 1e-8), optionally averaged over batches with
 * an exponential moving average.
 *
 * <p>Activations handed to training listeners live in workspaces that close after the iteration, so they
 * are copied into these buffers at once ({@link #accumulate} or {@link #stash}).</p>
 *
 * <p>A convolution's activations are maps: {@link #stashMaps} turns them into rows first, one row per example and
 * spatial position and one column per channel, after pooling both maps to a common size ({@link ChannelMaps}); the
 * score is then {@code C [nIn, nOut]} over input and output <em>channels</em>, the cosine over (batch x positions)
 * between input channel i's and output channel o's maps.</p>
 */
public final class HebbianStats {
    /** Added to every column norm. */
    public static final double EPS = 1e-8;

    private INDArray xBuf;
    private INDArray aBuf;
    private INDArray score;
    private int rows;
    private int updates;
    private boolean stashed;

    /**
     * Adds a batch to the score: {@code C = decay * C + (1 - decay) * Xn^T An} (the first batch sets C).
     *
     * @param x     the layer's input [minibatch, nIn]
     * @param a     the layer's output after activation [minibatch, nOut]
     * @param decay weight of the old score, in [0, 1); 0 keeps only the last batch
     */
    public void accumulate(INDArray x, INDArray a, double decay) {
        accumulate(x, a, decay, false);
    }

    /**
     * As {@link #accumulate(INDArray, INDArray, double)}, optionally centring every column on its batch mean
     * first (the Pearson correlation instead of the raw cosine).
     *
     * @param x      input [minibatch, nIn]
     * @param a      output [minibatch, nOut]
     * @param decay  weight of the old score
     * @param center centre the columns
     */
    public void accumulate(INDArray x, INDArray a, double decay, boolean center) {
        stash(x, a);
        accumulateStashed(decay, center);
    }

    /**
     * Copies a batch's activations without reducing them (for schedules that only know afterwards whether
     * the batch was the last before an event).
     *
     * @param x input [minibatch, nIn]
     * @param a output [minibatch, nOut]
     */
    public void stash(INDArray x, INDArray a) {
        if (x.rank() != 2 || a.rank() != 2 || x.size(0) != a.size(0)) {
            throw new IllegalArgumentException("HebbianStats: expected input [minibatch, nIn] and output "
                    + "[minibatch, nOut], got " + Arrays.toString(x.shape()) + " and "
                    + Arrays.toString(a.shape()));
        }
        ensureBuffers((int) x.size(0), x.size(1), a.size(1), x.dataType());
        rowsOf(xBuf).assign(x);
        rowsOf(aBuf).assign(a);
        stashed = true;
    }

    /**
     * Copies a convolution's batch without reducing it: its input and output maps, both averaged to the smaller
     * height and the smaller width ({@link ChannelMaps#averagePool}; nothing is pooled when the sizes agree), as
     * rows (example, position) x channels.
     *
     * @param x      the layer's input maps, [minibatch, nIn, H, W] (NCHW) or [minibatch, H, W, nIn] (NHWC)
     * @param a      the layer's output maps after activation, [minibatch, nOut, H', W'] or NHWC
     * @param format the layout of both
     */
    public void stashMaps(INDArray x, INDArray a, CNN2DFormat format) {
        if (x.rank() != 4 || a.rank() != 4 || x.size(0) != a.size(0)) {
            throw new IllegalArgumentException("HebbianStats: expected input and output maps [minibatch, channels, "
                    + "height, width] (" + format + " layout), got " + Arrays.toString(x.shape()) + " and "
                    + Arrays.toString(a.shape()));
        }
        INDArray xl = ChannelMaps.channelsLast(x, format);
        INDArray al = ChannelMaps.channelsLast(a, format);
        int b = (int) x.size(0);
        int h = (int) Math.min(xl.size(1), al.size(1));
        int w = (int) Math.min(xl.size(2), al.size(2));
        ensureBuffers(b * h * w, xl.size(3), al.size(3), x.dataType());
        rowsOf(xBuf).reshape('c', b, h, w, xl.size(3)).assign(pooled(xl, h, w));
        rowsOf(aBuf).reshape('c', b, h, w, al.size(3)).assign(pooled(al, h, w));
        stashed = true;
    }

    /** The maps themselves when they have the size, else their pooled copy (outside workspaces, dropped after use). */
    private static INDArray pooled(INDArray channelsLast, int h, int w) {
        if (channelsLast.size(1) == h && channelsLast.size(2) == w) {
            return channelsLast;
        }
        return Workspaces.detached(() -> ChannelMaps.averagePool(channelsLast, h, w));
    }

    /** Makes the buffers hold at least {@code n} rows of nx and na columns of the type, and sets the row count. */
    private void ensureBuffers(int n, long nx, long na, DataType type) {
        if (xBuf == null || xBuf.size(0) < n || xBuf.size(1) != nx || aBuf.size(1) != na || xBuf.dataType() != type) {
            xBuf = Workspaces.detached(() -> Nd4j.create(type, n, nx));
            aBuf = Workspaces.detached(() -> Nd4j.create(type, n, na));
        }
        rows = n;
    }

    /**
     * Reduces the stashed batch into the score.
     *
     * @param decay weight of the old score, in [0, 1)
     */
    public void accumulateStashed(double decay) {
        accumulateStashed(decay, false);
    }

    /**
     * Reduces the stashed batch into the score.
     *
     * @param decay  weight of the old score, in [0, 1)
     * @param center centre the columns on their batch mean first
     */
    public void accumulateStashed(double decay, boolean center) {
        if (!stashed) {
            throw new IllegalStateException("HebbianStats: no batch stashed");
        }
        INDArray x = rowsOf(xBuf);
        INDArray a = rowsOf(aBuf);
        if (center) {
            x.subiRowVector(x.mean(0));
            a.subiRowVector(a.mean(0));
        }
        normalizeColumns(x);
        normalizeColumns(a);
        if (score == null || score.size(0) != x.size(1) || score.size(1) != a.size(1)
                || score.dataType() != x.dataType()) {
            score = Workspaces.detached(() -> Nd4j.create(x.dataType(), new long[] {x.size(1), a.size(1)}, 'f'));
            updates = 0;
        }
        double alpha = updates == 0 ? 1.0 : 1.0 - decay;
        double beta = updates == 0 ? 0.0 : decay;
        Nd4j.gemm(x, a, score, true, false, alpha, beta);
        updates++;
        stashed = false;
    }

    private INDArray rowsOf(INDArray buf) {
        return buf.size(0) == rows ? buf : buf.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
    }

    private static void normalizeColumns(INDArray m) {
        INDArray norms = m.norm2(0).addi(EPS);
        m.diviRowVector(norms);
    }

    /** @return whether a batch is stashed and not yet reduced */
    public boolean hasStash() {
        return stashed;
    }

    /** @return number of batches in the score since the last {@link #reset()} */
    public int updates() {
        return updates;
    }

    /** @return the score matrix [nIn, nOut] (owned by this object), or null before the first batch */
    public INDArray score() {
        return updates == 0 ? null : score;
    }

    /** Forgets the score (the next batch starts a new average). */
    public void reset() {
        updates = 0;
        stashed = false;
    }

    /**
     * Restores a saved score, exactly in the network's data type.
     *
     * @param values  score in 'f' order (as {@link HostArrays#toDoubles} copies it)
     * @param nIn     rows
     * @param nOut    columns
     * @param count   number of batches it averages
     * @param type    the network's data type
     */
    public void restore(double[] values, long nIn, long nOut, int count, DataType type) {
        score = Workspaces.detached(() -> Nd4j.create(type, new long[] {nIn, nOut}, 'f'));
        HostArrays.assign(values, score);
        updates = count;
        stashed = false;
    }
}
