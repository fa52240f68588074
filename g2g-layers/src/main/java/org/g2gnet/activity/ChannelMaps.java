package org.g2gnet.activity;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.g2gnet.arrays.HostArrays;

/**
 * The activation maps of a convolution as the Hebbian statistics see them, as static methods on plain arrays: maps
 * in channels-last order and average pooling to a common spatial size.
 *
 * <p>Why pooling, and which: the Hebbian score of a channel pair (o, i) compares input channel i's map with output
 * channel o's map position by position, over the batch and every position (a kernel of the pair connects input i
 * around a position to output o at that position). Both maps must then have one size. With
 * {@code ConvolutionMode.Same} and stride 1 (the CNN of the command line) they have, and nothing is pooled; with a
 * stride, Truncate mode or padding the output is smaller (or, with large padding, larger), and the larger map is
 * averaged down to the smaller one: output cell (r, s) of a map of height H and width W pooled to h x w is the mean
 * of the input rows [floor(r H / h), ceil((r + 1) H / h)) and columns [floor(s W / w), ceil((s + 1) W / w))
 * (adaptive average pooling; with H = 2h these are the 2 x 2 blocks of a stride-2 pooling). Averaging keeps where
 * the activity is, which a global average per example (one value per channel and example) would discard, and it is
 * one fixed rule whatever the layer's kernel, stride, padding and dilation.</p>
 */
public final class ChannelMaps {
    private ChannelMaps() {
    }

    /**
     * @param maps   activation maps, [minibatch, channels, height, width] (NCHW) or [minibatch, height, width,
     *               channels] (NHWC)
     * @param format their layout
     * @return the same values as [minibatch, height, width, channels] (a view, no copy)
     * @throws IllegalArgumentException when the maps are not of rank 4
     */
    public static INDArray channelsLast(INDArray maps, CNN2DFormat format) {
        if (maps.rank() != 4) {
            throw new IllegalArgumentException("ChannelMaps: expected activation maps of rank 4 ([minibatch, channels, "
                    + "height, width] or NHWC), got shape " + Arrays.toString(maps.shape()));
        }
        return format == CNN2DFormat.NHWC ? maps : maps.permute(0, 2, 3, 1);
    }

    /**
     * Adaptive average pooling (see the class comment) of channels-last maps.
     *
     * @param maps   [minibatch, H, W, channels]
     * @param height h, in [1, H]
     * @param width  w, in [1, W]
     * @return [minibatch, h, w, channels]: {@code maps} itself when h = H and w = W, else a new array in the current
     *         workspace (if any)
     */
    public static INDArray averagePool(INDArray maps, int height, int width) {
        long bigH = maps.size(1);
        long bigW = maps.size(2);
        if (height < 1 || height > bigH || width < 1 || width > bigW) {
            throw new IllegalArgumentException("ChannelMaps: cannot pool maps " + Arrays.toString(maps.shape())
                    + " to " + height + " x " + width);
        }
        if (height == bigH && width == bigW) {
            return maps;
        }
        INDArray ph = poolingMatrix(height, (int) bigH, maps.dataType());
        INDArray pw = poolingMatrix(width, (int) bigW, maps.dataType());
        // [b, H, W, c] x ph over H -> [b, W, c, h]; x pw over W -> [b, c, h, w]
        INDArray rows = Nd4j.tensorMmul(maps, ph, new int[][] {{1}, {1}});
        INDArray both = Nd4j.tensorMmul(rows, pw, new int[][] {{1}, {1}});
        return both.permute(0, 2, 3, 1);
    }

    /**
     * @param to   the pooled size n
     * @param from the size N it is pooled from
     * @return P [n, N] with P[r, k] = 1 / |bin r| for k in bin r = [floor(r N / n), ceil((r + 1) N / n)), else 0
     */
    static INDArray poolingMatrix(int to, int from, DataType type) {
        double[] p = new double[to * from];
        for (int r = 0; r < to; r++) {
            int start = binStart(r, to, from);
            int end = binEnd(r, to, from);
            for (int k = start; k < end; k++) {
                p[r * from + k] = 1.0 / (end - start);
            }
        }
        return HostArrays.array(p, new long[] {to, from}, 'c', type);
    }

    /**
     * @param r    a pooled cell, in [0, to)
     * @param to   the pooled size
     * @param from the size pooled from
     * @return the first position of cell r's bin, floor(r from / to)
     */
    public static int binStart(int r, int to, int from) {
        return (int) Math.floorDiv((long) r * from, to);
    }

    /**
     * @param r    a pooled cell, in [0, to)
     * @param to   the pooled size
     * @param from the size pooled from
     * @return one past the last position of cell r's bin, ceil((r + 1) from / to)
     */
    public static int binEnd(int r, int to, int from) {
        return (int) -Math.floorDiv(-(long) (r + 1) * from, to);
    }
}
