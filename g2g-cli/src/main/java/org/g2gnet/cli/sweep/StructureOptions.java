package org.g2gnet.cli.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.g2gnet.cli.compare.SeedRange;
import org.g2gnet.conf.G2GLayerValidation;

/**
 * What a structure screen ({@code ./g2g sweep --structure}) runs: at each density, the G2G Mixer network for every
 * feasible pair of group count G and intra share s (the share of the active connections inside groups, pIntra =
 * s d G), beside ER and dense-matched at the same density, all static (no rewiring: the screen measures structure).
 * The structure is chosen on the validation split, never on the test set.
 *
 * @param densities       densities, each in (0, 1)
 * @param groups          group counts G, each in [2, width]
 * @param shares          intra shares s, each in (0, 1]
 * @param seeds           seeds (1..N, or A..B for one part)
 * @param epochs          epochs per run
 * @param width           hidden width
 * @param layers          hidden layers
 * @param validation      the last N training images held out for validation (&gt;= 1: the screen chooses on it)
 * @param dataset         dataset name
 * @param dataDir         data directory, or null for the default
 * @param out             output directory
 * @param resume          continue interrupted runs from their checkpoints
 * @param checkpointEvery checkpoint period in iterations (0: none)
 * @param reuse           other screens' output directories whose finished runs are copied instead of trained
 */
public record StructureOptions(List<Double> densities, List<Integer> groups, List<Double> shares, SeedRange seeds,
                               int epochs, int width, int layers, int validation, String dataset, Path dataDir,
                               Path out, boolean resume, int checkpointEvery, List<Path> reuse) {

    /** The screen's densities: where the full sweep read G2G at or below its baselines. */
    public static final List<Double> DENSITIES = List.of(0.25, 0.1, 0.05, 0.02);
    /** The screen's group counts. */
    public static final List<Integer> GROUPS = List.of(4, 8, 16, 32, 64, 128);
    /** The screen's intra shares. */
    public static final List<Double> SHARES = List.of(0.25, 0.5, 0.75, 0.9);

    /**
     * The screening protocol: the paper network (width 1024, 3 layers, Adam 1e-3 annealed to 0 over the run, batch
     * 256) for 5 epochs, 1 seed, 55,000 training images with the last 5,000 held out for validation: a quarter of
     * the full protocol's cost per run, so that the 61 runs of the default grid take about 1 hour as two one-thread
     * parts. A screen, not a result: in the full sweep the three seeds of one model at one density spread by up to
     * 0.01 in validation accuracy, so a single-seed screen picks candidates; the two best structures of each density
     * are then trained with the full protocol and 3 seeds, which decides.
     *
     * @param out     output directory, or null for runs/structure
     * @param dataDir data directory, or null
     * @return the screen's options
     */
    public static StructureOptions screen(Path out, Path dataDir) {
        return new StructureOptions(DENSITIES, GROUPS, SHARES, SeedRange.upTo(1), 5, 1024, 3, 5_000, "fashion-mnist",
                dataDir, out != null ? out : Path.of("runs", "structure"), false, 500, List.of());
    }

    /** Validates the values, naming the option. */
    public StructureOptions {
        densities = List.copyOf(densities);
        groups = List.copyOf(groups);
        shares = List.copyOf(shares);
        reuse = List.copyOf(reuse);
        distinct("--densities", densities);
        distinct("--groups", groups);
        distinct("--intra-share", shares);
        for (double d : densities) {
            if (!(d > 0 && d < 1)) {
                throw new IllegalArgumentException("--densities: every density must be in (0, 1), got " + d);
            }
        }
        if (epochs < 1 || width < 1 || layers < 1) {
            throw new IllegalArgumentException("--epochs, --width and --layers must be >= 1, got " + epochs + ", "
                    + width + ", " + layers);
        }
        for (int g : groups) {
            if (g < 2 || g > width) {
                throw new IllegalArgumentException("--groups: every group count must be in [2, --width " + width
                        + "], got " + g);
            }
        }
        for (double s : shares) {
            if (!(s > 0 && s <= 1)) {
                throw new IllegalArgumentException("--intra-share: every share must be in (0, 1], got " + s);
            }
        }
        if (seeds == null) {
            throw new IllegalArgumentException("--seeds must be given");
        }
        if (validation < 1) {
            throw new IllegalArgumentException("a structure screen chooses on a validation split: it needs at least "
                    + "one validation image, got " + validation);
        }
        if (out == null || out.toString().isBlank()) {
            throw new IllegalArgumentException("--out must name a directory");
        }
        for (Path r : reuse) {
            if (r.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--reuse " + r + " is the output directory itself");
            }
        }
        if (pairs(densities, groups, shares, width).isEmpty()) {
            throw new IllegalArgumentException("no (groups, intra share) pair of " + groups + " x " + shares
                    + " is feasible at densities " + densities + " with width " + width);
        }
    }

    private static void distinct(String option, List<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException(option + " must list at least one value");
        }
        if (values.size() != values.stream().distinct().count()) {
            throw new IllegalArgumentException(option + " lists a value twice: " + values);
        }
    }

    /**
     * One structure of the screen.
     *
     * @param density d
     * @param groups  G
     * @param share   s
     */
    public record Pair(double density, int groups, double share) {
    }

    /** @return the feasible (density, G, s) of the screen, density-major, then G, then s */
    public List<Pair> pairs() {
        return pairs(densities, groups, shares, width);
    }

    private static List<Pair> pairs(List<Double> densities, List<Integer> groups, List<Double> shares, int width) {
        List<Pair> out = new ArrayList<>();
        for (double d : densities) {
            for (int g : groups) {
                for (double s : shares) {
                    if (feasible(d, g, s, width)) {
                        out.add(new Pair(d, g, s));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whether a structure can be built: pIntra = s d G at most 1 (the intra blocks can hold the share), and, when
     * some connections lie between groups, at least one per inter-group block of a width x width layer at exact
     * counts (round(pInter (width / G)^2) &gt;= 1, pInter = (1 - s) d G / (G - 1)): otherwise the "inter-group" part
     * would be empty blocks and the share a fiction.
     *
     * @param density d
     * @param groups  G (&gt;= 2)
     * @param share   s
     * @param width   the hidden width
     * @return whether the screen trains it
     */
    public static boolean feasible(double density, int groups, double share, int width) {
        try {
            G2GLayerValidation.pIntraForShare("structure", share, density, groups);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (share >= 1) {
            return true;
        }
        double pInter = (1 - share) * density * groups / (groups - 1);
        double block = Math.pow((double) width / groups, 2);
        return Math.round(pInter * block) >= 1;
    }
}
