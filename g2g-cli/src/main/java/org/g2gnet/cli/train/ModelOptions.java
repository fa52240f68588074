package org.g2gnet.cli.train;

import java.util.List;
import java.util.Locale;

import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GLayerValidation;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.GroupPartition;
import org.g2gnet.topology.Grouping;

/**
 * The network of a run: its family and size, and the G2G structure of its sparse layers.
 *
 * @param kind       dense, er or g2g
 * @param arch       mlp (the paper's network) or cnn ({@link CnnFactory})
 * @param width      hidden width
 * @param layers     number of hidden layers
 * @param channels   output channels of the CNN's convolutions (ignored by the MLP)
 * @param groups     groups per G2G layer
 * @param pIntra     intra-group probability (resolved from {@code intraShare} when that is set)
 * @param pInter     inter-group probability (ignored when density is set)
 * @param density    target density, or null
 * @param intraShare share of the active connections inside groups, or null; with a density it sets
 *                   {@code pIntra} = s d G
 * @param grouping   grouping of the G2G stack
 * @param execution  masked, structured or block execution of the G2G layers
 * @param tileSize   tile size of structured execution (0: automatic)
 */
public record ModelOptions(ModelKind kind, Arch arch, int width, int layers, List<Integer> channels, int groups,
                           double pIntra, double pInter, Double density, Double intraShare, GroupingChoice grouping,
                           Execution execution, int tileSize) {

    /**
     * Checks the values that need nothing else, naming the option.
     *
     * @throws IllegalArgumentException on a bad value
     */
    void validate() {
        TrainOptions.positive("--width", width);
        TrainOptions.positive("--layers", layers);
        TrainOptions.positive("--groups", groups);
        if (arch == null) {
            throw new IllegalArgumentException("--arch must be mlp or cnn");
        }
        if (arch == Arch.MLP && kind != ModelKind.DENSE && groups > width) {
            throw new IllegalArgumentException("--groups must be at most --width (" + width + "), got " + groups);
        }
        unit("--p-intra", pIntra);
        unit("--p-inter", pInter);
        if (density != null && !(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("--density must be in (0, 1], got " + density);
        }
        if (execution == null) {
            throw new IllegalArgumentException("--execution must be masked, structured or block");
        }
        if (execution != Execution.MASKED && kind != ModelKind.G2G) {
            throw new IllegalArgumentException("--execution " + execution.name().toLowerCase(Locale.ROOT)
                    + " applies to --model g2g only, got --model " + kind);
        }
        if (execution == Execution.BLOCK && pIntra != 1.0) {
            throw new IllegalArgumentException("--execution block needs --p-intra 1 (dense intra-group blocks), got "
                    + pIntra);
        }
        if (tileSize < 0) {
            throw new IllegalArgumentException("--tile-size must be >= 1 (or 0 for automatic), got " + tileSize);
        }
    }

    private static void unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }

    /**
     * Refuses sparse layers without a connection: --p-intra and --p-inter both 0, or a density so small that the
     * exact count of every group block of a layer rounds to 0. The layers are checked again, exactly, when the
     * network is initialised; this says it in terms of the options, before any data is read.
     *
     * @param dataset the dataset (its images are the first layer's input)
     */
    void checkConnections(String dataset) {
        if (kind == ModelKind.DENSE || execution == Execution.STRUCTURED) {
            return;
        }
        if (density == null && pIntra == 0 && pInter == 0) {
            throw new IllegalArgumentException("--p-intra 0.0 and --p-inter 0.0 leave the " + kind.name().toLowerCase(
                    Locale.ROOT) + " layers with no connection: set one of them above 0");
        }
        // the first layer reads the images, the others are width x width
        int features = dataset.toLowerCase(Locale.ROOT).startsWith("cifar") ? 3 * 32 * 32 : 28 * 28;
        int[][] shapes = layers >= 2 ? new int[][] {{features, width}, {width, width}} : new int[][] {{features, width}};
        for (int k = 0; k < shapes.length; k++) {
            boolean er = kind == ModelKind.ER;
            Grouping g = er ? Grouping.INDEX
                    : grouping.grouping() != null ? grouping.grouping() : Grouping.mixer(k);
            int gs = er ? 1 : groups;
            if (gs > Math.min(shapes[k][0], shapes[k][1])) {
                return; // refused elsewhere, with its own message
            }
            GroupPartition in = GroupPartition.of(g, shapes[k][0], gs, 0);
            GroupPartition out = GroupPartition.of(g, shapes[k][1], gs, 0);
            double intra = er ? effectiveDensity() : pIntra;
            double inter = er ? 0 : density != null
                    ? ConnectionMask.solvePInter(density, pIntra, in, out) : pInter;
            if (!(inter >= -1e-9 && inter <= 1 + 1e-9)) {
                double share = GroupPartition.intraPairs(in, out) / ((double) shapes[k][0] * shapes[k][1]);
                double lo = Math.round(pIntra * share * 1e6) / 1e6;
                double hi = Math.round((pIntra * share + 1 - share) * 1e6) / 1e6;
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--density %s is not reachable "
                                + "with --p-intra %s and --groups %d: the %dx%d layer%s can have densities in [%s, %s]; "
                                + "set the share of connections inside groups instead (--intra-share S, pIntra = S x "
                                + "density x groups) or more groups (--groups)",
                        density, pIntra, groups, shapes[k][0], shapes[k][1], k == 1 && layers > 2 ? "s" : "", lo, hi));
            }
            if (G2GLayerValidation.activeConnections(in.groupSizes(), out.groupSizes(), intra,
                    Math.max(0, inter)) == 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s leaves the %dx%d layer%s "
                                + "with no connection (the exact count of every group block rounds to 0): raise %s",
                        density != null ? "--density " + density + " with --p-intra " + pIntra
                                : "--p-intra " + pIntra + " with --p-inter " + pInter, shapes[k][0], shapes[k][1],
                        k == 1 && layers > 2 ? "s" : "", density != null ? "--density or --p-intra"
                                : "--p-intra or --p-inter"));
            }
        }
    }

    /**
     * @return the share of the active connections inside groups that the structure is built for: --intra-share, else
     *         the nominal pIntra / (G d) (exact when G divides the widths)
     */
    public double nominalIntraShare() {
        return intraShare != null ? intraShare : pIntra / (groups * effectiveDensity());
    }

    /** @return the density the G2G (and ER) layers have: --density, or pIntra / G + pInter (G - 1) / G */
    public double effectiveDensity() {
        return density != null ? density : ConnectionMask.nominalDensity(groups, pIntra, pInter);
    }

    /** @param sb the fingerprint being written: this network's part (see {@link TrainOptions#fingerprint()}) */
    void fingerprint(StringBuilder sb) {
        sb.append("model=").append(kind).append(" width=").append(width).append(" layers=").append(layers);
        if (kind != ModelKind.DENSE) {
            sb.append(" groups=").append(groups).append(" pIntra=").append(pIntra).append(" pInter=").append(pInter)
                    .append(" density=").append(density).append(" grouping=").append(grouping);
            if (kind == ModelKind.G2G && grouping != GroupingChoice.INDEX) {
                // since 0.2 a grouping applies to both sides of each layer (before, stacks lined pathways up):
                // runs and checkpoints made before must not be taken for these
                sb.append(" sides=layer");
            }
            if (execution != Execution.MASKED) {
                sb.append(" execution=").append(execution.name().toLowerCase(Locale.ROOT))
                        .append(" tileSize=").append(tileSize);
            }
        }
    }
}
