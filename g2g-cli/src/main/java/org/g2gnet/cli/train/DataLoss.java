package org.g2gnet.cli.train;

import java.util.Locale;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The data loss of the step DL4J has just computed, and what it can be.
 *
 * <p>DL4J's score is the mean loss of the mini-batch plus the regularisation term (weight decay, L1, L2) of the
 * parameters the forward pass used. The data loss is that score minus the same term of the same parameters, so it
 * must be taken before the update ({@code onGradientCalculation}): after it, a diverging run's weights have grown
 * and the term of the new weights is larger than the one in the score, which gave negative "losses" such as
 * -3126062.2 at a learning rate of 1e3.</p>
 */
final class DataLoss {
    /** Below this many units in the last place of the score, the data loss cannot be told from the term. */
    private static final double RESOLUTION = 1e-3;

    private DataLoss() {
    }

    /**
     * @param net a network whose score and parameters are those of the same forward pass
     * @return {data loss, regularisation term}
     */
    static double[] of(MultiLayerNetwork net) {
        double reg = net.calcRegularizationScore(true);
        return new double[] {net.score() - reg, reg};
    }

    /**
     * Says what is impossible about a loss: negative when the loss cannot be, above the largest value it can
     * take, or buried in a regularisation term so large (diverged weights) that it cannot be resolved.
     *
     * @param net  the network (its output layer's loss function)
     * @param loss the data loss
     * @param reg  the regularisation term
     * @return null when the loss is possible, else why not
     */
    static String implausible(MultiLayerNetwork net, double loss, double reg) {
        if (Math.ulp(reg) > RESOLUTION) {
            return String.format(Locale.ROOT, "a regularisation term of %.6g: the weights have diverged and "
                    + "the data loss can no longer be resolved", reg);
        }
        ILossFunction lf = net.getOutputLayer().conf().getLayer() instanceof BaseOutputLayer o ? o.getLossFn() : null;
        boolean crossEntropy = lf instanceof LossMCXENT;
        if (crossEntropy && loss < -4 * Math.ulp(net.score())) {
            return "a cross-entropy cannot be negative";
        }
        double max = upperBound(net, lf);
        if (loss > max) {
            return String.format(Locale.ROOT, "above %.4f, the largest value the clipped softmax "
                    + "cross-entropy of the output layer can take", max);
        }
        return null;
    }

    /** The cross-entropy of a softmax clipped at eps is at most -ln(eps) per example (times the largest weight). */
    private static double upperBound(MultiLayerNetwork net, ILossFunction lf) {
        if (!(lf instanceof LossMCXENT x) || x.getSoftmaxClipEps() <= 0 || !(((BaseOutputLayer) net.getOutputLayer()
                .conf().getLayer()).getActivationFn() instanceof ActivationSoftmax)) {
            return Double.POSITIVE_INFINITY;
        }
        double weight = x.getWeights() == null ? 1 : Math.max(1, x.getWeights().maxNumber().doubleValue());
        return -Math.log(x.getSoftmaxClipEps()) * weight * (1 + 1e-6) + 1e-4;
    }
}
