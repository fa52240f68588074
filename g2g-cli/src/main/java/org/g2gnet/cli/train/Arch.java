package org.g2gnet.cli.train;

import java.util.Locale;

import org.g2gnet.util.EnumNames;

/** The network family of a run: the paper's MLP, or a small CNN (this project's, beyond the paper). */
public enum Arch {
    /** The paper's network: hidden layers of {@code --width} x {@code --layers}, then a softmax output. */
    MLP,
    /**
     * A small CNN ({@link CnnFactory}): 3 x 3 convolutions of {@code --channels}, each with ReLU and 2 x 2 max pooling,
     * then a softmax output on the flattened maps. The model kind applies to the channel
     * pairs of every convolution but the first (whose single input channel cannot be grouped): dense, an Erdos-Renyi
     * channel mask (er) or G2G channel groups (g2g).
     */
    CNN;

    /**
     * @param s mlp or cnn
     * @return the architecture
     */
    public static Arch parse(String s) {
        return EnumNames.parse(Arch.class, s, "--arch");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
