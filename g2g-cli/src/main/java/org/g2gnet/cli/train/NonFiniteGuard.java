package org.g2gnet.cli.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Stops training at the first non-finite loss or impossible loss (checked every iteration, nearly free: DL4J
 * computes the loss anyway) or non-finite parameter (checked at the end of every epoch and whenever the loss is
 * bad), naming the iteration and the first layer whose parameters are not finite. An impossible loss is a negative
 * cross-entropy, one above the largest value the output layer's loss can take, or one buried in a regularisation
 * term of diverged weights ({@link DataLoss#implausible}): a sign that training or its bookkeeping went wrong.
 *
 * <p>The loss is checked in {@code onGradientCalculation}, after the backward pass and before the update,
 * so a bad step is never applied and the parameters it names are those that produced the bad loss.</p>
 */
public final class NonFiniteGuard extends BaseTrainingListener {

    /** Training produced a NaN, an infinity or an impossible loss. */
    public static final class NonFiniteException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int iteration;

        NonFiniteException(String message, int iteration) {
            super(message);
            this.iteration = iteration;
        }

        /** @return the iteration at which it was detected */
        public int iteration() {
            return iteration;
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        int iteration = net.getIterationCount();
        int epoch = net.getEpochCount();
        double score = model.score();
        if (!Double.isFinite(score)) {
            throw new NonFiniteException("non-finite training loss " + score + " at iteration " + iteration
                    + " (epoch " + (epoch + 1) + "); " + describeParams(model), iteration);
        }
        double[] loss = DataLoss.of(net);
        String impossible = DataLoss.implausible(net, loss[0], loss[1]);
        if (impossible != null) {
            throw new NonFiniteException("impossible training loss " + loss[0] + " at iteration " + iteration
                    + " (epoch " + (epoch + 1) + "): " + impossible + "; " + describeParams(model), iteration);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        String bad = firstNonFiniteLayer(model);
        if (bad != null) {
            int it = ((MultiLayerNetwork) model).getIterationCount();
            throw new NonFiniteException("non-finite parameters in " + bad + " at the end of epoch "
                    + (((MultiLayerNetwork) model).getEpochCount() + 1) + " (iteration " + it + ")", it);
        }
    }

    private static String describeParams(Model model) {
        String bad = firstNonFiniteLayer(model);
        return bad == null ? "all parameters are still finite (the loss itself overflowed)"
                : "first layer with non-finite parameters: " + bad;
    }

    /**
     * @param model a network
     * @return "name (Type)" of the first layer with a NaN or infinite parameter, or null
     */
    public static String firstNonFiniteLayer(Model model) {
        for (Layer l : ((MultiLayerNetwork) model).getLayers()) {
            INDArray p = l.params();
            if (p == null || p.isEmpty()) {
                continue;
            }
            long bad = Nd4j.getExecutioner().exec(new MatchCondition(p, Conditions.isNan())).getInt(0)
                    + Nd4j.getExecutioner().exec(new MatchCondition(p, Conditions.isInfinite())).getInt(0);
            if (bad > 0) {
                return "layer '" + l.conf().getLayer().getLayerName() + "' (" + l.conf().getLayer().getClass().getSimpleName()
                        + ", " + bad + " values)";
            }
        }
        return null;
    }
}
