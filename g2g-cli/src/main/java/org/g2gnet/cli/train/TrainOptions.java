package org.g2gnet.cli.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GLayerValidation;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.HebbianScore;
import org.g2gnet.rewiring.MaskUpdater;
import org.g2gnet.schedule.RewiringSchedule;
import org.g2gnet.topology.ConnectionMask;
import org.g2gnet.topology.GroupPartition;
import org.g2gnet.topology.Grouping;

/**
 * Everything one training run needs. Defaults are the paper's protocol (docs/DESIGN.md section 3).
 *
 * @param model          dense, er or g2g
 * @param width          hidden width
 * @param layers         number of hidden layers
 * @param groups         groups per G2G layer
 * @param pIntra         intra-group probability
 * @param pInter         inter-group probability (ignored when density is set)
 * @param density        target density, or null
 * @param grouping       grouping of the G2G stack
 * @param epochs         epochs
 * @param batch          mini-batch size
 * @param lr             peak learning rate of Adam (cosine-annealed to 0)
 * @param weightDecay    decoupled weight decay
 * @param seed           seed of everything
 * @param dataset        fashion-mnist, cifar10 or cifar100
 * @param dataDir        data directory, or null for the default
 * @param trainLimit     use only the first N training examples (0: all)
 * @param out            output directory, or null for none
 * @param dst            rewiring criteria, or null for static masks
 * @param rewireEvery    rewiring period in iterations
 * @param rewireFraction fraction rewired per event
 * @param rewireSchedule constant or cosine
 * @param rewireStop     no rewiring from this iteration on (0: never stop)
 * @param progress       show a progress bar
 * @param checkpointEvery write a checkpoint every N iterations (0: never)
 * @param keepCheckpoints how many checkpoints to keep
 * @param resume         continue from the newest intact checkpoint in {@code out}
 * @param execution      masked, structured or block execution of the G2G layers
 * @param tileSize       tile size of structured execution (0: automatic)
 * @param hebbianScore   how Hebbian scores are computed (signed = the paper's)
 * @param prunePrefilter share of the smallest-|w| active connections that may be pruned (1: all)
 * @param regrowth       how regrown weights start
 * @param hebbianDecay   decay of the Hebbian moving average (0: last batch only)
 * @param hebbianWindow  batches before each event that enter the moving average
 * @param rewireStopFraction no rewiring after this fraction of training (0: never stop early)
 * @param validation     hold out the last N training examples and report accuracy on them (0: none)
 * @param logEvery       a line every N iterations (0: none; -1: every 50 when the output is not a terminal)
 * @param arch           mlp (the paper's network) or cnn ({@link CnnFactory})
 * @param channels       output channels of the CNN's convolutions (ignored by the MLP)
 * @param intraShare     share of the active connections inside groups, or null; with a density it sets
 *                       {@code pIntra} = s d G (the record holds the resolved pIntra)
 */
public record TrainOptions(ModelKind model, int width, int layers, int groups, double pIntra, double pInter,
                           Double density, GroupingChoice grouping, int epochs, int batch, double lr,
                           double weightDecay, long seed, String dataset, Path dataDir, int trainLimit, Path out,
                           DstSpec dst, int rewireEvery, double rewireFraction, RewiringSchedule.Decay rewireSchedule,
                           int rewireStop, boolean progress, int checkpointEvery, int keepCheckpoints,
                           boolean resume, Execution execution, int tileSize,
                           HebbianScore hebbianScore, double prunePrefilter,
                           MaskUpdater.Regrowth regrowth, double hebbianDecay, int hebbianWindow,
                           double rewireStopFraction, int validation, int logEvery,
                           Arch arch, List<Integer> channels, Double intraShare) {

    /** @return the paper's protocol for a static G2G Mixer network on Fashion-MNIST */
    public static TrainOptions defaults() {
        return new Builder().build();
    }

    /** @return a builder holding the paper's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this run's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.width = width;
        b.layers = layers;
        b.groups = groups;
        b.pIntra = pIntra;
        b.pInter = pInter;
        b.density = density;
        b.grouping = grouping;
        b.epochs = epochs;
        b.batch = batch;
        b.lr = lr;
        b.weightDecay = weightDecay;
        b.seed = seed;
        b.dataset = dataset;
        b.dataDir = dataDir;
        b.trainLimit = trainLimit;
        b.out = out;
        b.dst = dst;
        b.rewireEvery = rewireEvery;
        b.rewireFraction = rewireFraction;
        b.rewireSchedule = rewireSchedule;
        b.rewireStop = rewireStop;
        b.progress = progress;
        b.checkpointEvery = checkpointEvery;
        b.keepCheckpoints = keepCheckpoints;
        b.resume = resume;
        b.execution = execution;
        b.tileSize = tileSize;
        b.hebbianScore = hebbianScore;
        b.prunePrefilter = prunePrefilter;
        b.regrowth = regrowth;
        b.hebbianDecay = hebbianDecay;
        b.hebbianWindow = hebbianWindow;
        b.rewireStopFraction = rewireStopFraction;
        b.validation = validation;
        b.logEvery = logEvery;
        b.arch = arch;
        b.channels = channels;
        b.intraShare = intraShare;
        return b;
    }

    /** Builder of {@link TrainOptions}, starting from the paper's protocol. */
    public static final class Builder {
        private ModelKind model = ModelKind.G2G;
        private int width = 1024;
        private int layers = 3;
        private int groups = 8;
        private double pIntra = 1.0;
        private double pInter = 0.15;
        private Double density;
        private GroupingChoice grouping = GroupingChoice.MIXER;
        private int epochs = 20;
        private int batch = 256;
        private double lr = 1e-3;
        private double weightDecay = 1e-4;
        private long seed = 1;
        private String dataset = "fashion-mnist";
        private Path dataDir;
        private int trainLimit;
        private Path out;
        private DstSpec dst;
        private int rewireEvery = 1000;
        private double rewireFraction = 0.1;
        private RewiringSchedule.Decay rewireSchedule = RewiringSchedule.Decay.CONSTANT;
        private int rewireStop;
        private boolean progress = true;
        private int checkpointEvery = 500;
        private int keepCheckpoints = 3;
        private boolean resume;
        private Execution execution = Execution.MASKED;
        private int tileSize;
        private HebbianScore hebbianScore = HebbianScore.SIGNED;
        private double prunePrefilter = 1.0;
        private MaskUpdater.Regrowth regrowth = MaskUpdater.Regrowth.ZERO;
        private double hebbianDecay;
        private int hebbianWindow = 1;
        private double rewireStopFraction;
        private int validation;
        private int logEvery = -1;
        private Arch arch = Arch.MLP;
        private List<Integer> channels = CnnFactory.DEFAULT_CHANNELS;
        private Double intraShare;
        private boolean pIntraSet;

        /** @param v model @return this */
        public Builder model(ModelKind v) { model = v; return this; }
        /** @param v hidden width @return this */
        public Builder width(int v) { width = v; return this; }
        /** @param v hidden layers @return this */
        public Builder layers(int v) { layers = v; return this; }
        /** @param v groups @return this */
        public Builder groups(int v) { groups = v; return this; }
        /** @param v pIntra @return this */
        public Builder pIntra(double v) { pIntra = v; pIntraSet = true; return this; }
        /**
         * @param v share of the active connections inside groups (with a density: pIntra = s d G), or null
         * @return this
         */
        public Builder intraShare(Double v) { intraShare = v; return this; }
        /** @param v pInter @return this */
        public Builder pInter(double v) { pInter = v; return this; }
        /** @param v target density or null @return this */
        public Builder density(Double v) { density = v; return this; }
        /** @param v grouping @return this */
        public Builder grouping(GroupingChoice v) { grouping = v; return this; }
        /** @param v epochs @return this */
        public Builder epochs(int v) { epochs = v; return this; }
        /** @param v batch size @return this */
        public Builder batch(int v) { batch = v; return this; }
        /** @param v learning rate @return this */
        public Builder lr(double v) { lr = v; return this; }
        /** @param v weight decay @return this */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /** @param v seed @return this */
        public Builder seed(long v) { seed = v; return this; }
        /** @param v dataset name @return this */
        public Builder dataset(String v) { dataset = v; return this; }
        /** @param v data directory or null @return this */
        public Builder dataDir(Path v) { dataDir = v; return this; }
        /** @param v training example limit (0 = all) @return this */
        public Builder trainLimit(int v) { trainLimit = v; return this; }
        /** @param v output directory or null @return this */
        public Builder out(Path v) { out = v; return this; }
        /** @param v rewiring criteria or null @return this */
        public Builder dst(DstSpec v) { dst = v; return this; }
        /** @param v rewiring period @return this */
        public Builder rewireEvery(int v) { rewireEvery = v; return this; }
        /** @param v rewiring fraction @return this */
        public Builder rewireFraction(double v) { rewireFraction = v; return this; }
        /** @param v rewiring schedule @return this */
        public Builder rewireSchedule(RewiringSchedule.Decay v) { rewireSchedule = v; return this; }
        /** @param v stop iteration (0 = never) @return this */
        public Builder rewireStop(int v) { rewireStop = v; return this; }
        /** @param v show progress bars @return this */
        public Builder progress(boolean v) { progress = v; return this; }
        /** @param v checkpoint period in iterations (0 = never) @return this */
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        /** @param v checkpoints kept @return this */
        public Builder keepCheckpoints(int v) { keepCheckpoints = v; return this; }
        /** @param v continue from the newest checkpoint @return this */
        public Builder resume(boolean v) { resume = v; return this; }
        /** @param v masked, structured or block execution of the G2G layers @return this */
        public Builder execution(Execution v) { execution = v; return this; }
        /** @param v tile size of structured execution (0 = automatic) @return this */
        public Builder tileSize(int v) { tileSize = v; return this; }
        /** @param v Hebbian score variant @return this */
        public Builder hebbianScore(HebbianScore v) { hebbianScore = v; return this; }
        /** @param v share of smallest weights that may be pruned @return this */
        public Builder prunePrefilter(double v) { prunePrefilter = v; return this; }
        /** @param v how regrown weights start @return this */
        public Builder regrowth(MaskUpdater.Regrowth v) { regrowth = v; return this; }
        /** @param decay moving-average decay (0 = last batch) @param window batches @return this */
        public Builder hebbianAverage(double decay, int window) { hebbianDecay = decay; hebbianWindow = window; return this; }
        /** @param v stop rewiring after this fraction of training (0 = never) @return this */
        public Builder rewireStopFraction(double v) { rewireStopFraction = v; return this; }
        /** @param v a line every N iterations (0 = none, -1 = every 50 off a terminal) @return this */
        public Builder logEvery(int v) { logEvery = v; return this; }
        /** @param v hold out the last N training examples for validation (0 = none) @return this */
        public Builder validation(int v) { validation = v; return this; }
        /** @param v mlp or cnn @return this */
        public Builder arch(Arch v) { arch = v; return this; }
        /** @param v output channels of the CNN's convolutions @return this */
        public Builder channels(List<Integer> v) { channels = v == null ? null : List.copyOf(v); return this; }

        /** @return the validated options */
        public TrainOptions build() {
            double pIntra = this.pIntra;
            if (intraShare != null) {
                if (pIntraSet) {
                    throw new IllegalArgumentException("set either --p-intra (" + pIntra + ") or --intra-share ("
                            + intraShare + "), not both: the share sets pIntra = share x density x groups");
                }
                if (density == null) {
                    throw new IllegalArgumentException("--intra-share " + intraShare + " needs --density: it is the "
                            + "share of the active connections at that density that lie inside groups");
                }
                if (!(intraShare > 0 && intraShare <= 1)) {
                    throw new IllegalArgumentException("--intra-share must be in (0, 1], got " + intraShare);
                }
                if (groups >= 1 && density > 0 && density <= 1) {
                    pIntra = G2GLayerValidation.pIntraForShare("--intra-share", intraShare, density, groups);
                }
            }
            return new TrainOptions(model, width, layers, groups, pIntra, pInter, density, grouping, epochs, batch, lr,
                    weightDecay, seed, dataset, dataDir, trainLimit, out, dst, rewireEvery, rewireFraction,
                    rewireSchedule, rewireStop, progress, checkpointEvery, keepCheckpoints, resume,
                    execution, tileSize, hebbianScore, prunePrefilter, regrowth, hebbianDecay, hebbianWindow,
                    rewireStopFraction, validation, logEvery, arch, channels, intraShare).validate();
        }
    }

    /**
     * Checks every value, naming the option and the value.
     *
     * @return this
     * @throws IllegalArgumentException on a bad value
     */
    public TrainOptions validate() {
        positive("--width", width);
        positive("--layers", layers);
        positive("--groups", groups);
        positive("--epochs", epochs);
        positive("--batch", batch);
        if (arch == null) {
            throw new IllegalArgumentException("--arch must be mlp or cnn");
        }
        if (arch == Arch.CNN) {
            CnnFactory.validate(this);
        } else if (model != ModelKind.DENSE && groups > width) {
            throw new IllegalArgumentException("--groups must be at most --width (" + width + "), got " + groups);
        }
        unit("--p-intra", pIntra);
        unit("--p-inter", pInter);
        if (density != null && !(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("--density must be in (0, 1], got " + density);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0 (0 = all), got " + trainLimit);
        }
        if (logEvery < -1) {
            throw new IllegalArgumentException("--log-every must be >= 0 (0 = never), got " + logEvery);
        }
        if (validation < 0) {
            throw new IllegalArgumentException("--validation must be >= 0 (0 = none), got " + validation);
        }
        if (execution == null) {
            throw new IllegalArgumentException("--execution must be masked, structured or block");
        }
        if (execution != Execution.MASKED && model != ModelKind.G2G) {
            throw new IllegalArgumentException("--execution " + execution.name().toLowerCase(Locale.ROOT)
                    + " applies to --model g2g only, got --model " + model);
        }
        if (execution == Execution.BLOCK) {
            if (pIntra != 1.0) {
                throw new IllegalArgumentException("--execution block needs --p-intra 1 (dense intra-group blocks), got "
                        + pIntra);
            }
            if (dst != null && dst.grow().needsDenseGradient()) {
                throw new IllegalArgumentException("--dst " + dst + " is not available with --execution block: a block "
                        + "does not compute the dense gradient x^T delta that gradient growth ranks by; use "
                        + "--execution structured or another growth criterion (hebbian or random)");
            }
        }
        if (tileSize < 0) {
            throw new IllegalArgumentException("--tile-size must be >= 1 (or 0 for automatic), got " + tileSize);
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0 (0 = never), got " + checkpointEvery);
        }
        if (keepCheckpoints < 1) {
            throw new IllegalArgumentException("--keep-checkpoints must be >= 1, got " + keepCheckpoints);
        }
        if (out != null && out.toString().isBlank()) {
            throw new IllegalArgumentException("--out must name a directory, got an empty path '" + out + "'");
        }
        if (resume && out == null) {
            throw new IllegalArgumentException("--resume needs an output directory (--out) holding the checkpoints");
        }
        if (dst != null && model == ModelKind.DENSE) {
            throw new IllegalArgumentException("--dst needs a sparse model (--model g2g or er), got --model dense");
        }
        // the rewiring options are checked with or without --dst: a bad value is a mistake either way
        positive("--rewire-every", rewireEvery);
        if (!(rewireFraction > 0 && rewireFraction <= 1)) {
            throw new IllegalArgumentException("--rewire-fraction must be in (0, 1], got " + rewireFraction);
        }
        if (rewireStop < 0) {
            throw new IllegalArgumentException("--rewire-stop must be >= 0 (0 = never), got " + rewireStop);
        }
        if (!(rewireStopFraction >= 0 && rewireStopFraction <= 1)) {
            throw new IllegalArgumentException("--rewire-stop as a share of training must be in [0, 1], got "
                    + rewireStopFraction);
        }
        if (!(prunePrefilter > 0 && prunePrefilter <= 1)) {
            throw new IllegalArgumentException("--prune-prefilter must be in (0, 1], got " + prunePrefilter);
        }
        if (!(hebbianDecay >= 0 && hebbianDecay < 1) || hebbianWindow < 1) {
            throw new IllegalArgumentException("--hebbian-average must be DECAY:WINDOW with DECAY in [0, 1) and "
                    + "WINDOW >= 1, got " + hebbianDecay + ":" + hebbianWindow);
        }
        if (hebbianScore == null || regrowth == null) {
            throw new IllegalArgumentException("--hebbian and --regrowth must be set");
        }
        checkConnections();
        return this;
    }

    /**
     * Refuses sparse layers without a connection: --p-intra and --p-inter both 0, or a density so small that the
     * exact count of every group block of a layer rounds to 0. The layers are checked again, exactly, when the
     * network is initialised; this says it in terms of the options, before any data is read.
     */
    private void checkConnections() {
        if (model == ModelKind.DENSE || execution == Execution.STRUCTURED) {
            return;
        }
        if (density == null && pIntra == 0 && pInter == 0) {
            throw new IllegalArgumentException("--p-intra 0.0 and --p-inter 0.0 leave the " + model.name().toLowerCase(
                    Locale.ROOT) + " layers with no connection: set one of them above 0");
        }
        // the first layer reads the images, the others are width x width
        int features = dataset.toLowerCase(Locale.ROOT).startsWith("cifar") ? 3 * 32 * 32 : 28 * 28;
        int[][] shapes = layers >= 2 ? new int[][] {{features, width}, {width, width}} : new int[][] {{features, width}};
        for (int k = 0; k < shapes.length; k++) {
            boolean er = model == ModelKind.ER;
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
                double intraShare = GroupPartition.intraPairs(in, out)
                        / ((double) shapes[k][0] * shapes[k][1]);
                double lo = Math.round(pIntra * intraShare * 1e6) / 1e6;
                double hi = Math.round((pIntra * intraShare + 1 - intraShare) * 1e6) / 1e6;
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

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    private static void unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }

    /**
     * What a finished run or a checkpoint must match to be reused: every option that changes the result
     * (not the data directory, output directory, progress display, checkpointing or resume), spelled out
     * field by field so that adding an unrelated option later does not invalidate finished runs.
     *
     * @return a stable text
     */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder();
        sb.append("model=").append(model).append(" width=").append(width).append(" layers=").append(layers);
        if (model != ModelKind.DENSE) {
            sb.append(" groups=").append(groups).append(" pIntra=").append(pIntra).append(" pInter=").append(pInter)
                    .append(" density=").append(density).append(" grouping=").append(grouping);
            if (model == ModelKind.G2G && grouping != GroupingChoice.INDEX) {
                // since 0.2 a grouping applies to both sides of each layer (before, stacks lined pathways up):
                // runs and checkpoints made before must not be taken for these
                sb.append(" sides=layer");
            }
            if (execution != Execution.MASKED) {
                sb.append(" execution=").append(execution.name().toLowerCase(Locale.ROOT))
                        .append(" tileSize=").append(tileSize);
            }
        }
        sb.append(" epochs=").append(epochs).append(" batch=").append(batch).append(" lr=").append(lr)
                .append(" weightDecay=").append(weightDecay).append(" seed=").append(seed)
                .append(" dataset=").append(dataset).append(" trainLimit=").append(trainLimit);
        if (validation > 0) {
            // printed only when set, so that runs finished before the option existed still match
            sb.append(" validation=").append(validation);
        }
        if (arch == Arch.CNN) {
            // MLP runs print nothing here, so that runs finished before the option existed still match
            sb.append(" arch=cnn channels=").append(CnnFactory.channelsName(channels));
        }
        if (dst != null) {
            sb.append(" dst=").append(dst).append(" rewireEvery=").append(rewireEvery)
                    .append(" rewireFraction=").append(rewireFraction).append(" rewireSchedule=").append(rewireSchedule)
                    .append(" rewireStop=").append(rewireStop);
            // options added later print only when not at their default, so that older finished runs still match
            if (hebbianScore != HebbianScore.SIGNED) {
                sb.append(" hebbian=").append(hebbianScore);
            }
            if (prunePrefilter != 1.0) {
                sb.append(" prunePrefilter=").append(prunePrefilter);
            }
            if (regrowth != MaskUpdater.Regrowth.ZERO) {
                sb.append(" regrowth=").append(regrowth);
            }
            if (hebbianDecay > 0) {
                sb.append(" hebbianAverage=").append(hebbianDecay).append(':').append(hebbianWindow);
            }
            if (rewireStopFraction > 0) {
                sb.append(" rewireStopFraction=").append(rewireStopFraction);
            }
        }
        return sb.toString();
    }

    /**
     * @return iterations between log lines: --log-every, or when not given 50 if the output is not a terminal
     *         (no progress bar there) and none on a terminal; 0 for none
     */
    public int effectiveLogEvery() {
        return logEvery >= 0 ? logEvery : System.console() == null ? 50 : 0;
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

}
