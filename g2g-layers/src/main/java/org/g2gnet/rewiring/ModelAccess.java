package org.g2gnet.rewiring;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** What the rewiring listener reads from a {@code MultiLayerNetwork} or {@code ComputationGraph}. */
final class ModelAccess {
    private ModelAccess() {
    }

    static Layer[] layers(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getLayers();
        }
        if (model instanceof ComputationGraph g) {
            return g.getLayers();
        }
        throw new IllegalArgumentException("RewiringListener: supports MultiLayerNetwork and ComputationGraph, got "
                + model.getClass().getName());
    }

    /** @return the network's updater, or null before the first fit */
    static Updater updater(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getUpdater(false);
        }
        if (model instanceof ComputationGraph g) {
            return g.getUpdater(false);
        }
        return null;
    }

    static int iterationCount(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getIterationCount();
        }
        return ((ComputationGraph) model).getIterationCount();
    }

    static int epochCount(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getEpochCount();
        }
        return ((ComputationGraph) model).getEpochCount();
    }

    static long networkSeed(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getLayerWiseConfigurations().getConf(0).getSeed();
        }
        return ((ComputationGraph) model).getConfiguration().getDefaultConfiguration().getSeed();
    }
}
