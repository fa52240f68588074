package org.g2gnet.cli.compare;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.g2gnet.cli.train.Arch;
import org.g2gnet.cli.train.ArchOptions;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.TrainCommand;
import org.g2gnet.cli.train.GroupsChoice;
import org.g2gnet.cli.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./g2g compare}: G2G networks against dense DL4J baselines on the same data and protocol.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train G2G networks and dense DL4J baselines on the same data and protocol; write results.csv, "
                + "summary.md and plots. Finished runs in --out are reused.",
                "Models: dense, dense-matched, er, g2g-index, g2g-random, g2g-mixer, g2g-mixer-dst (the default seven), "
                + "g2g-mixer-paper, g2g-mixer-set; with --arch cnn: cnn-dense, cnn-g2g, cnn-g2g-dst, cnn-er (the "
                + "default four)."})
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "quick",
            description = "quick (3 epochs on 20,000 images, a few minutes; --arch cnn: 3 epochs on 10,000) | paper "
                    + "(the paper's 20-epoch protocol) | full (paper's for the MLP; --arch cnn: 3 epochs on all "
                    + "images) (default: ${DEFAULT-VALUE})")
    String preset;

    @picocli.CommandLine.Mixin
    ArchOptions arch = new ArchOptions();

    @Option(names = "--models", defaultValue = "default",
            description = "comma-separated models; default = the seven of the main job; all adds g2g-mixer-paper and "
                    + "g2g-mixer-set (default: ${DEFAULT-VALUE})")
    String models;

    @Option(names = "--seeds", defaultValue = "1", description = "N: seeds 1..N per model; A-B: seeds A..B only (to "
            + "split a comparison over machines; ./g2g report merges the parts) (default: ${DEFAULT-VALUE})")
    String seeds;

    @Option(names = "--dataset", defaultValue = "fashion-mnist",
            description = "fashion-mnist | cifar10 | cifar100 | cifar100-coarse (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data-dir", description = "directory with the dataset's files")
    Path dataDir;

    @Option(names = "--out", description = "output directory (default: runs/compare-<preset>)")
    Path out;

    @Option(names = "--dst", description = "PRUNE:GROW criteria of g2g-mixer-dst (and cnn-g2g-dst) instead of the "
            + "default rule (magnitude:hebbian, cosine-decayed, stopping at 75%% of training)")
    String dst;

    @Option(names = "--epochs", description = "override the preset's epochs")
    Integer epochs;

    @Option(names = "--train-limit", description = "override the preset's training-set size (0 = all)")
    Integer trainLimit;

    @Option(names = "--rewire-every", description = "override the preset's rewiring period (iterations)")
    Integer rewireEvery;

    @Option(names = "--validation", description = "hold out the last N training images for validation (default: the "
            + "preset's, 0 = none); needed by --lrs")
    Integer validation;

    @Option(names = "--lrs", split = ",", description = "learning rates to sweep, e.g. 1e-3,2e-3,3e-3: every model is "
            + "trained at each, its rate is chosen on validation accuracy and its test accuracy reported "
            + "(needs --validation)")
    List<Double> lrs;

    @Option(names = "--density", description = "density of the sparse models instead of the preset's pIntra 1, pInter "
            + "0.15 (pInter is solved; dense-matched matches it)")
    Double density;

    @Option(names = "--groups", description = "groups G of the G2G models, or auto (with --density: the structure "
            + "rule, G the largest power of two at most 1/density and 0.9 of the connections inside groups) "
            + "(default: the preset's, 8)")
    String groups;

    @Option(names = "--intra-share", paramLabel = "S", description = "with --density: the share of the active "
            + "connections inside groups (pIntra = S x density x groups)")
    Double intraShare;

    @picocli.CommandLine.Mixin
    TrainCommand.CheckpointOptions checkpoints =
            new TrainCommand.CheckpointOptions();

    @Override
    public Integer call() {
        CompareOptions.Preset p = CompareOptions.Preset.parse(preset);
        Arch family = arch.arch();
        TrainOptions.Builder base = p.protocol(dataset, family).dataDir(dataDir);
        arch.applyTo(base);
        if (epochs != null) {
            base.epochs(epochs);
        }
        if (trainLimit != null) {
            base.trainLimit(trainLimit);
        }
        if (rewireEvery != null) {
            base.rewireEvery(rewireEvery);
        }
        if (validation != null) {
            base.validation(validation);
        }
        if (density != null) {
            base.density(density);
        }
        base.intraShare(intraShare);
        if (groups != null) {
            GroupsChoice.apply(base, groups, density, intraShare, null);
        }
        checkpoints.applyTo(base);
        Path dir = out != null ? out : Path.of("runs", "compare-" + (family == Arch.CNN
                ? "cnn-" : "") + p.name().toLowerCase(Locale.ROOT));
        // each run gets its own directory under dir; the base needs one so that --resume validates
        base.out(dir);
        CompareOptions o = new CompareOptions(CompareModel.parseList(models, family), SeedRange.parse(seeds), base.build(),
                dst == null ? null : DstSpec.parse(dst), dir, lrs);
        Comparison.run(o, System.out);
        return 0;
    }
}
