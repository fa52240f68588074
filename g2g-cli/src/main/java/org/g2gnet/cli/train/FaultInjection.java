package org.g2gnet.cli.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Test-only faults for the fault-tolerance tests (reached through hidden options of {@code ./g2g train}):
 * a sleep after every step, so that a test can kill the process mid-epoch, and a NaN written into a weight
 * of the second layer with weights after a given step, so that the non-finite guard can be tested at a known iteration.
 */
final class FaultInjection extends BaseTrainingListener {
    private final int delayMs;
    private final int nanAt;

    FaultInjection(int delayMs, int nanAt) {
        this.delayMs = delayMs;
        this.nanAt = nanAt;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (iteration == nanAt) {
            // the second layer with weights (in a CNN, layers without parameters such as pooling sit in between)
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            for (int l = 1; l < net.getnLayers(); l++) {
                if (net.getLayer(l).paramTable().containsKey("W")) {
                    net.getLayer(l).getParam("W").putScalar(0, Double.NaN);
                    break;
                }
            }
        }
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
