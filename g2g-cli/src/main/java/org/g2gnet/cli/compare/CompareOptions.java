package org.g2gnet.cli.compare;

import java.nio.file.Path;
import java.util.List;

import org.g2gnet.cli.train.Arch;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.util.EnumNames;

/**
 * A comparison: which models, how many seeds, and the protocol every run shares.
 *
 * @param models the models, in report order
 * @param seeds  the seeds of every model
 * @param base   the protocol and G2G shape shared by every run (its model, grouping and dst are set per model)
 * @param dst    criteria overriding those of g2g-mixer-dst's default rule, or null
 * @param out    output directory
 * @param lrs    learning rates to sweep (each model's is chosen on validation accuracy); empty: the base's only
 */
public record CompareOptions(List<CompareModel> models, SeedRange seeds, TrainOptions base, DstSpec dst, Path out,
                             List<Double> lrs) {

    /**
     * A comparison over seeds 1..seeds.
     *
     * @param models the models
     * @param seeds  seeds 1..seeds
     * @param base   the protocol
     * @param dst    criteria of g2g-mixer-dst, or null
     * @param out    output directory
     * @param lrs    learning rates to sweep; empty: the base's only
     */
    public CompareOptions(List<CompareModel> models, int seeds, TrainOptions base, DstSpec dst, Path out,
                          List<Double> lrs) {
        this(models, SeedRange.upTo(seeds), base, dst, out, lrs);
    }

    /**
     * A comparison at the base's learning rate.
     *
     * @param models the models
     * @param seeds  seeds 1..seeds
     * @param base   the protocol
     * @param dst    criteria of g2g-mixer-dst, or null
     * @param out    output directory
     */
    public CompareOptions(List<CompareModel> models, int seeds, TrainOptions base, DstSpec dst, Path out) {
        this(models, seeds, base, dst, out, List.of());
    }

    /** @return the learning rates the runs use: the sweep's, or the base's one */
    public List<Double> learningRates() {
        return lrs.isEmpty() ? List.of(base.protocol().lr()) : lrs;
    }

    /** @return whether each model's learning rate is chosen on validation accuracy */
    public boolean sweepsLearningRate() {
        return !lrs.isEmpty();
    }

    /** The protocol presets. */
    public enum Preset {
        /**
         * The default: the same models on the first 20,000 training images for 3 epochs, rewiring every 50
         * iterations; about 4 minutes for all seven models on a 2-core machine.
         */
        QUICK,
        /** The paper's protocol: 20 epochs (30 on CIFAR), all training data, rewiring every 1000 iterations. */
        PAPER,
        /**
         * The full protocol: the paper's for the MLP (the same as PAPER); for {@code --arch cnn}, where the paper has
         * no protocol, all training data for {@value #CNN_FULL_EPOCHS} epochs: about 390 CPU seconds per epoch and
         * model measured here, so about 2 hours for four models and three seeds on an idle 2-core machine.
         */
        FULL;

        /** Epochs of the CNN's quick preset. */
        public static final int CNN_QUICK_EPOCHS = 3;
        /** Training images of the CNN's quick preset. */
        public static final int CNN_QUICK_TRAIN_LIMIT = 10_000;
        /** Epochs of the CNN's full preset. */
        public static final int CNN_FULL_EPOCHS = 3;
        /** Rewiring period of cnn-g2g-dst in the quick preset (iterations). */
        public static final int CNN_QUICK_REWIRE_EVERY = 25;
        /** Rewiring period of cnn-g2g-dst in the full preset (iterations). */
        public static final int CNN_FULL_REWIRE_EVERY = 150;

        /**
         * @param s quick or paper
         * @return the preset
         */
        public static Preset parse(String s) {
            return EnumNames.parse(Preset.class, s, "--preset");
        }

        /**
         * @param dataset the dataset's name
         * @return the protocol of this preset (Adam 1e-3 cosine, weight decay 1e-4, batch 256, G2G 1024x3, G = 8)
         */
        public TrainOptions.Builder protocol(String dataset) {
            return protocol(dataset, Arch.MLP);
        }

        /**
         * @param dataset the dataset's name
         * @param arch    the network family: the CNN has its own quick and full protocols (same optimiser, batch and
         *                G2G shape as the MLP's; rewiring every {@value #CNN_QUICK_REWIRE_EVERY} iterations in quick,
         *                {@value #CNN_FULL_REWIRE_EVERY} in full: three events before the default rule stops at 75% of
         *                the 120 or 705 steps, as the MLP's quick and paper protocols have)
         * @return the protocol of this preset
         */
        public TrainOptions.Builder protocol(String dataset, Arch arch) {
            // no per-iteration lines: a comparison prints one line per epoch and run, with the overall ETA
            TrainOptions.Builder b = TrainOptions.builder().dataset(dataset).progress(false).logEvery(0).arch(arch);
            if (arch == Arch.CNN) {
                return this == QUICK ? b.epochs(CNN_QUICK_EPOCHS).trainLimit(CNN_QUICK_TRAIN_LIMIT)
                        .rewireEvery(CNN_QUICK_REWIRE_EVERY)
                        : b.epochs(CNN_FULL_EPOCHS).trainLimit(0).rewireEvery(CNN_FULL_REWIRE_EVERY);
            }
            if (this == QUICK) {
                return b.epochs(3).trainLimit(20_000).rewireEvery(50);
            }
            return b.epochs(dataset.startsWith("cifar") ? 30 : 20).trainLimit(0).rewireEvery(1000);
        }
    }

    /** Validates the values. */
    public CompareOptions {
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("--models must name at least one model");
        }
        if (seeds == null) {
            throw new IllegalArgumentException("--seeds must be given");
        }
        lrs = lrs == null ? List.of() : List.copyOf(lrs);
        for (double lr : lrs) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("--lrs: every learning rate must be > 0, got " + lr);
            }
        }
        if (lrs.stream().distinct().count() != lrs.size()) {
            throw new IllegalArgumentException("--lrs lists a learning rate twice: " + lrs);
        }
        if (!lrs.isEmpty() && base.protocol().validation() == 0) {
            throw new IllegalArgumentException("--lrs chooses each model's learning rate on validation accuracy and "
                    + "needs a validation split: add --validation N (e.g. 10000), never the test set");
        }
    }
}
