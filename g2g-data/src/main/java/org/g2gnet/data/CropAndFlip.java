package org.g2gnet.data;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The paper's CIFAR augmentation: pad each image with {@code pad} zero pixels on every side, crop a random
 * window of the original size, and flip it horizontally with probability 1/2. Works on flattened
 * channels-first images, [minibatch, channels * height * width].
 *
 * <p>A per-pixel Java loop over the batch (about 0.8M values for 256 CIFAR images): ND4J has no batched
 * random-crop op in deeplearning4j-nn, and per-image view operations cost more than the loop.</p>
 */
public final class CropAndFlip implements Augmentation {
    private final int channels;
    private final int height;
    private final int width;
    private final int pad;

    /**
     * @param channels image channels
     * @param height   image height
     * @param width    image width
     * @param pad      zero padding on every side, &gt;= 0
     */
    public CropAndFlip(int channels, int height, int width, int pad) {
        if (channels < 1 || height < 1 || width < 1 || pad < 0) {
            throw new IllegalArgumentException("CropAndFlip: channels, height and width must be >= 1 and pad >= 0, got "
                    + channels + ", " + height + ", " + width + ", " + pad);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pad = pad;
    }

    @Override
    public void apply(INDArray features, SplittableRandom rng) {
        int size = channels * height * width;
        if (features.rank() != 2 || features.size(1) != size) {
            throw new IllegalArgumentException("CropAndFlip: expected [minibatch, " + size + "], got "
                    + Arrays.toString(features.shape()));
        }
        int n = (int) features.size(0);
        float[] in = Nd4j.toFlattened('c', features).toFloatVector();
        float[] out = new float[in.length];
        for (int s = 0; s < n; s++) {
            int dy = rng.nextInt(2 * pad + 1) - pad;
            int dx = rng.nextInt(2 * pad + 1) - pad;
            boolean flip = rng.nextBoolean();
            transform(in, out, s * size, dy, dx, flip);
        }
        features.assign(Nd4j.create(out, features.shape(), 'c').castTo(features.dataType()));
    }

    /** out(c, y, x) = in(c, y + dy, x' + dx) with x' the (possibly flipped) column; 0 outside the image. */
    void transform(float[] in, float[] out, int base, int dy, int dx, boolean flip) {
        for (int c = 0; c < channels; c++) {
            int plane = base + c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                for (int x = 0; x < width; x++) {
                    int xx = flip ? width - 1 - x : x;
                    int sx = xx + dx;
                    out[plane + y * width + x] = sy >= 0 && sy < height && sx >= 0 && sx < width
                            ? in[plane + sy * width + sx] : 0f;
                }
            }
        }
    }
}
