package org.g2gnet.cli.compare;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.g2gnet.cli.train.ModelFactory;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.conf.G2GDenseLayer;

/**
 * The hidden width of a dense MLP with as many parameters as a G2G network has active ones.
 */
public final class MatchedWidth {
    private MatchedWidth() {
    }

    /**
     * Parameters of a dense MLP nIn - w x layers - classes (weights and biases).
     *
     * @param nIn     inputs
     * @param w       hidden width
     * @param layers  hidden layers
     * @param classes outputs
     * @return the parameter count
     */
    public static long denseParams(long nIn, long w, int layers, long classes) {
        return nIn * w + w + (layers - 1) * (w * w + w) + w * classes + classes;
    }

    /**
     * The width whose dense parameter count is closest to a target.
     *
     * @param target  parameters to match
     * @param nIn     inputs
     * @param layers  hidden layers
     * @param classes outputs
     * @return the width, &gt;= 1
     */
    public static int solve(long target, long nIn, int layers, long classes) {
        // (L-1) w^2 + (nIn + 1 + (L-1) + classes) w + classes - target = 0
        double a = layers - 1;
        double b = nIn + 1 + (layers - 1) + classes;
        double c = classes - (double) target;
        double w = a == 0 ? -c / b : (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
        int best = Math.max(1, (int) Math.floor(w));
        long bestErr = Math.abs(denseParams(nIn, best, layers, classes) - target);
        long err = Math.abs(denseParams(nIn, best + 1, layers, classes) - target);
        return err < bestErr ? best + 1 : best;
    }

    /**
     * Active parameters of the G2G network of these options (masks drawn exactly as at initialisation,
     * without building the network), then the matching dense width.
     *
     * @param g2g     options of the G2G model
     * @param nIn     inputs
     * @param classes outputs
     * @return the width
     */
    public static int forG2G(TrainOptions g2g, int nIn, int classes) {
        MultiLayerConfiguration conf = ModelFactory.build(g2g, nIn, classes, 1);
        long active = 0;
        for (NeuralNetConfiguration c : conf.getConfs()) {
            if (c.getLayer() instanceof G2GDenseLayer l) {
                active += l.generateMask(c.getSeed()).activeCount() + l.getNOut();
            } else if (c.getLayer() instanceof FeedForwardLayer f) {
                active += f.getNIn() * f.getNOut() + f.getNOut();
            }
        }
        return solve(active, nIn, g2g.model().layers(), classes);
    }
}
