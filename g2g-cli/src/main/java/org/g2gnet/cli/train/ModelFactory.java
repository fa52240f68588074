package org.g2gnet.cli.train;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.g2gnet.ReferenceNetworks;



/**
 * The networks of the command line's options: the library's {@link ReferenceNetworks} (the paper's MLP, or the
 * small CNN of {@code --arch cnn}), built from a run's options.
 */
public final class ModelFactory {
    private ModelFactory() {
    }

    /**
     * The network of the options' architecture for examples of a shape.
     *
     * @param o               the run's options
     * @param shape           one example's shape, e.g. {28, 28} or {3, 32, 32}
     * @param classes         output classes
     * @param totalIterations optimizer steps of the whole run (the cosine period)
     * @return the configuration: the MLP on the flattened example, or the CNN ({@link CnnFactory})
     */
    public static MultiLayerConfiguration build(TrainOptions o, int[] shape, int classes, int totalIterations) {
        if (o.model().arch() == Arch.CNN) {
            return CnnFactory.build(o, shape, classes, totalIterations);
        }
        return build(o, Arrays.stream(shape).reduce(1, (a, b) -> a * b), classes, totalIterations);
    }

    /**
     * @param o               the run's options (arch mlp)
     * @param nIn             input features
     * @param classes         output classes
     * @param totalIterations optimizer steps of the whole run (the cosine period)
     * @return the configuration
     */
    public static MultiLayerConfiguration build(TrainOptions o, int nIn, int classes, int totalIterations) {
        if (o.model().arch() == Arch.CNN) {
            throw new IllegalArgumentException("--arch cnn needs the image shape: use build(options, shape, ...)");
        }
        ModelOptions m = o.model();
        ProtocolOptions p = o.protocol();
        return ReferenceNetworks.mlp().kind(kind(m.kind())).width(m.width()).layers(m.layers()).groups(m.groups())
                .pIntra(m.pIntra()).pInter(m.pInter()).density(m.kind() == ModelKind.ER ? Double.valueOf(m.effectiveDensity())
                        : m.density()).grouping(m.grouping().grouping()).execution(m.execution()).tileSize(m.tileSize())
                .lr(p.lr()).weightDecay(p.weightDecay()).seed(p.seed()).totalIterations(totalIterations)
                .build(nIn, classes);
    }

    /**
     * @param m the command line's model kind
     * @return the library's
     */
    static ReferenceNetworks.Kind kind(ModelKind m) {
        return switch (m) {
            case DENSE -> ReferenceNetworks.Kind.DENSE;
            case ER -> ReferenceNetworks.Kind.ER;
            case G2G -> ReferenceNetworks.Kind.G2G;
        };
    }
}
