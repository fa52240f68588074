package org.g2gnet.cli.train;

import java.util.List;

import picocli.CommandLine.Option;

/** {@code --arch} and {@code --channels}: the network family, shared by train and compare. */
public final class ArchOptions {
    @Option(names = "--arch", defaultValue = "mlp",
            description = "mlp (the paper's network: --width x --layers) | cnn (3x3 convolutions of --channels, each "
                    + "with ReLU and 2x2 max pooling; --model and the G2G options apply to the channel pairs of every "
                    + "convolution but the first) (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--channels", split = ",", defaultValue = "32,64,128",
            description = "--arch cnn: output channels of the convolutions (default: ${DEFAULT-VALUE})")
    List<Integer> channels;

    /** @return the architecture asked for */
    public Arch arch() {
        return Arch.parse(arch);
    }

    /** @param b the options to fill */
    public void applyTo(TrainOptions.Builder b) {
        b.arch(arch()).channels(channels);
    }
}
