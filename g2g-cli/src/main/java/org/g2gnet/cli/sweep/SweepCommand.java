package org.g2gnet.cli.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./g2g sweep}: accuracy against density, training-set size and measured training time.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Where G2G pays off: g2g-mixer (static and with the default rewiring rule), er and dense-matched "
                + "at several densities and training-set sizes, against dense; seconds per epoch of each model in "
                + "masked and structured execution, measured side by side with dense. Writes sweep.csv, cost.csv, "
                + "sweep.md and three plots; finished runs in --out are reused, --resume continues interrupted ones."})
public final class SweepCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "quick",
            description = "quick (1 seed, 3 epochs, width 512, 20,000 images: a few minutes) | full (3 seeds, 20 epochs, "
                    + "width 1024, all images: about 5 hours on 2 cores, resumable) (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--densities", split = ",", description = "densities of the sparsity part (default: 0.5,0.25,0.1,0.05,0.02)")
    List<Double> densities;

    @Option(names = "--fractions", split = ",", description = "shares of the training images of the data-size part "
            + "(default: 0.05,0.2,1)")
    List<Double> fractions;

    @Option(names = "--seeds", description = "seeds 1..N per point (default: the preset's)")
    Integer seeds;

    @Option(names = "--epochs", description = "epochs per run (default: the preset's)")
    Integer epochs;

    @Option(names = "--width", description = "hidden width (default: the preset's)")
    Integer width;

    @Option(names = "--data-dir", description = "directory with Fashion-MNIST's files")
    Path dataDir;

    @Option(names = "--out", description = "output directory (default: runs/sweep-<preset>)")
    Path out;

    @Option(names = "--resume", description = "continue interrupted runs from their newest intact checkpoint")
    boolean resume;

    @Override
    public Integer call() {
        SweepOptions p = SweepOptions.Preset.parse(preset).options(out, dataDir);
        SweepOptions o = new SweepOptions(densities != null ? densities : p.densities(),
                fractions != null ? fractions : p.fractions(), p.dataDensity(), seeds != null ? seeds : p.seeds(),
                epochs != null ? epochs : p.epochs(), width != null ? width : p.width(), p.layers(), p.pool(),
                p.validation(), p.dataset(), p.dataDir(), p.out(), resume, p.checkpointEvery(), p.costRounds());
        Sweep.run(o, System.out);
        return 0;
    }
}
