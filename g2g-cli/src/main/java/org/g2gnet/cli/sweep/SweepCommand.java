package org.g2gnet.cli.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.g2gnet.cli.compare.SeedRange;
import org.g2gnet.cli.train.GroupsChoice;
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
                    + "width 1024, all images: about 4 hours on 2 cores as two --seeds parts side by side, resumable) (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--densities", split = ",", description = "densities of the sparsity part (default: 0.5,0.25,0.1,0.05,0.02)")
    List<Double> densities;

    @Option(names = "--fractions", split = ",", description = "shares of the training images of the data-size part "
            + "(default: 0.05,0.2,1)")
    List<Double> fractions;

    @Option(names = "--seeds", description = "N: seeds 1..N per point; A-B: seeds A..B only, to split a sweep over "
            + "machines or sessions (default: the preset's)")
    String seeds;

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

    @Option(names = "--reuse", split = ",", paramLabel = "DIR", description = "other sweeps' --out directories (the "
            + "parts of a sweep split by --seeds A-B): their finished runs with the same settings are copied into "
            + "--out instead of being trained again")
    List<Path> reuse;

    @Option(names = "--groups", split = ",", paramLabel = "G", description = "G of the G2G runs; auto: the structure "
            + "rule at each density, G the largest power of two at most 1/density, 0.9 of the connections inside "
            + "groups (the default); half: the rule of the sweeps before the structure screen (results/sweep-full), "
            + "the smallest power of two >= 8 whose intra blocks hold at most half the active connections, pIntra 1; "
            + "with --structure: the group counts to screen (default: 4,8,16,32,64,128)")
    List<String> groups;

    @Option(names = "--intra-share", split = ",", paramLabel = "S", description = "share of the active connections "
            + "inside groups of the G2G runs (pIntra = S x density x G; default: pIntra 1); with --structure: the "
            + "shares to screen (default: 0.25,0.5,0.75,0.9)")
    List<Double> intraShares;

    @Option(names = "--structure", description = "a structure screen instead: at each density (default: "
            + "0.25,0.1,0.05,0.02) G2G Mixer at every feasible --groups x --intra-share, beside er and dense-matched, "
            + "static, 5 epochs, width 1024, seed 1, 5,000 validation images (about 2 hours of one-thread training for "
            + "the default grid: split it with --densities into parts, merge with --reuse); writes structure.csv, "
            + "structure.md and a heat map per density. Structures are chosen on validation accuracy")
    boolean structure;

    @Option(names = "--cost-rounds", description = "interleaved timing rounds of the cost part; 0 skips it (for the "
            + "parts of a split sweep: measure the cost once, on an idle machine) (default: the preset's)")
    Integer costRounds;

    @Override
    public Integer call() {
        if (structure) {
            StructureOptions p = StructureOptions.screen(out, dataDir);
            if (fractions != null || costRounds != null || !"quick".equals(preset)) {
                throw new IllegalArgumentException("--structure has its own protocol: --fractions, --cost-rounds and "
                        + "--preset do not apply to it");
            }
            StructureScreen.run(new StructureOptions(densities != null ? densities : p.densities(),
                    groups != null ? groups.stream().map(GroupsChoice::number).toList() : p.groups(),
                    intraShares != null ? intraShares : p.shares(),
                    seeds != null ? SeedRange.parse(seeds) : p.seeds(), epochs != null ? epochs : p.epochs(),
                    width != null ? width : p.width(), p.layers(), p.validation(), p.dataset(), p.dataDir(), p.out(),
                    resume, p.checkpointEvery(), reuse != null ? reuse : List.of()), System.out);
            return 0;
        }
        if (groups != null && groups.size() != 1 || intraShares != null && intraShares.size() != 1) {
            throw new IllegalArgumentException("--groups and --intra-share take one value each (lists are for "
                    + "--structure), got " + (groups != null && groups.size() != 1 ? "--groups " + groups
                    : "--intra-share " + intraShares));
        }
        SweepOptions p = SweepOptions.Preset.parse(preset).options(out, dataDir);
        SweepOptions o = new SweepOptions(densities != null ? densities : p.densities(),
                fractions != null ? fractions : p.fractions(), p.dataDensity(),
                seeds != null ? SeedRange.parse(seeds) : p.seeds(), epochs != null ? epochs : p.epochs(),
                width != null ? width : p.width(), p.layers(), p.pool(), p.validation(), p.dataset(), p.dataDir(),
                p.out(), resume, p.checkpointEvery(), costRounds != null ? costRounds : p.costRounds(),
                reuse != null ? reuse : List.of(), groups == null ? p.groups() : SweepGroups.parse(groups.get(0)),
                intraShares != null ? intraShares.get(0) : null);
        Sweep.run(o, System.out);
        return 0;
    }
}
