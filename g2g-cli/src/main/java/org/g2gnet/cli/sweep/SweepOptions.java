package org.g2gnet.cli.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.g2gnet.cli.compare.SeedRange;
import org.g2gnet.util.EnumNames;

/**
 * What a sweep runs.
 *
 * @param densities      densities of the sparsity part (each in (0, 1))
 * @param fractions      shares of the training pool of the data-size part (each in (0, 1])
 * @param dataDensity    density of the data-size part
 * @param seeds          the seeds of every point (1..N, or A..B for one part of a sweep split over machines)
 * @param epochs         epochs per run
 * @param width          hidden width
 * @param layers         hidden layers
 * @param pool           training images available before the validation split (0: all)
 * @param validation     the last N images of the pool held out for validation
 * @param dataset        dataset name
 * @param dataDir        data directory, or null for the default
 * @param out            output directory
 * @param resume         continue interrupted runs from their checkpoints
 * @param checkpointEvery checkpoint period in iterations (0: none)
 * @param costRounds     interleaved timing rounds of the cost part (0: no cost part)
 * @param reuse          other sweeps' output directories whose finished runs are copied into {@code out} instead
 *                       of being trained again (the parts of a sweep split by seeds); may be empty
 * @param groups         how G (and the intra share) of the G2G runs is set at each density ({@code --groups})
 * @param intraShare     share of the active connections inside groups of every G2G run (pIntra = s d G), or null
 *                       for pIntra 1
 */
public record SweepOptions(List<Double> densities, List<Double> fractions, double dataDensity, SeedRange seeds,
                           int epochs, int width, int layers, int pool, int validation, String dataset, Path dataDir,
                           Path out, boolean resume, int checkpointEvery, int costRounds, List<Path> reuse,
                           SweepGroups groups, Double intraShare) {

    /**
     * @return the intra share of every G2G run (the same at each density): --intra-share, the structure rule's with
     * --groups auto, or null (pIntra 1)
     */
    Double runIntraShare() {
        return groups.intraShare(intraShare);
    }

    /** The presets. */
    public enum Preset {
        /**
         * For trying it: 1 seed, 3 epochs, width 512, a pool of the first 20,000 training images (2,000 of them
         * held out for validation): a few minutes on 2 cores.
         */
        QUICK,
        /**
         * The paper's protocol: 3 seeds, 20 epochs, width 1024, all 60,000 training images (5,000 held out for
         * validation); about 8 hours of one-thread training, measured on a 2-core machine: about 4 hours as two
         * one-thread processes splitting the seeds ({@code --seeds A-B}), resumable.
         */
        FULL;

        /**
         * @param s quick or full
         * @return the preset
         */
        public static Preset parse(String s) {
            return EnumNames.parse(Preset.class, s, "--preset");
        }

        /**
         * @param out     output directory, or null for runs/sweep-PRESET
         * @param dataDir data directory, or null
         * @return the options of this preset
         */
        public SweepOptions options(Path out, Path dataDir) {
            Path dir = out != null ? out : Path.of("runs", "sweep-" + name().toLowerCase(Locale.ROOT));
            List<Double> densities = List.of(0.5, 0.25, 0.1, 0.05, 0.02);
            List<Double> fractions = List.of(0.05, 0.2, 1.0);
            return this == QUICK
                    ? new SweepOptions(densities, fractions, 0.25, SeedRange.upTo(1), 3, 512, 3, 20_000, 2_000,
                    "fashion-mnist", dataDir, dir, false, 0, 3, List.of(), SweepGroups.AUTO, null)
                    : new SweepOptions(densities, fractions, 0.25, SeedRange.upTo(3), 20, 1024, 3, 0, 5_000,
                    "fashion-mnist", dataDir, dir, false, 500, 5, List.of(), SweepGroups.AUTO, null);
        }
    }

    /** Validates the values, naming the option. */
    public SweepOptions {
        densities = List.copyOf(densities);
        if (densities.size() != densities.stream().distinct().count()) {
            throw new IllegalArgumentException("--densities lists a density twice: " + densities);
        }
        fractions = List.copyOf(fractions);
        reuse = List.copyOf(reuse);
        if (densities.isEmpty() && fractions.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs --densities or --fractions");
        }
        for (double d : densities) {
            if (!(d > 0 && d < 1)) {
                throw new IllegalArgumentException("--densities: every density must be in (0, 1), got " + d);
            }
        }
        for (double f : fractions) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("--fractions: every share must be in (0, 1], got " + f);
            }
        }
        if (!(dataDensity > 0 && dataDensity < 1)) {
            throw new IllegalArgumentException("--data-density must be in (0, 1), got " + dataDensity);
        }
        if (seeds == null) {
            throw new IllegalArgumentException("--seeds must be given");
        }
        if (epochs < 1 || width < 1 || layers < 1) {
            throw new IllegalArgumentException("--epochs, --width and --layers must be >= 1, got " + epochs + ", "
                    + width + ", " + layers);
        }
        if (costRounds < 0) {
            throw new IllegalArgumentException("--cost-rounds must be >= 0 (0: no cost part), got " + costRounds);
        }
        if (pool < 0 || validation < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("the preset's pool, validation and checkpoint period must be >= 0");
        }
        if (groups == null) {
            throw new IllegalArgumentException("the sweep's --groups rule must be given");
        }
        if (groups.kind() == SweepGroups.Kind.FIXED && groups.fixed() > width) {
            throw new IllegalArgumentException("--groups must be in [1, --width " + width + "], got " + groups.fixed());
        }
        for (double d : densities.isEmpty() ? List.of(dataDensity) : densities) {
            if (groups.kind() != SweepGroups.Kind.FIXED && groups.at(d) > width) {
                throw new IllegalArgumentException("--width " + width + " is smaller than the " + groups.at(d)
                        + " groups the sweep's rule gives at density " + d + ": raise --width or set --groups");
            }
        }
        if (intraShare != null) {
            for (double d : densities.isEmpty() ? List.of(dataDensity) : densities) {
                org.g2gnet.conf.G2GLayerValidation.pIntraForShare("--intra-share", intraShare, d, groups.at(d));
            }
        }
        if (out == null || out.toString().isBlank()) {
            throw new IllegalArgumentException("--out must name a directory");
        }
        for (Path r : reuse) {
            if (r.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--reuse " + r + " is the output directory itself");
            }
        }
    }
}
