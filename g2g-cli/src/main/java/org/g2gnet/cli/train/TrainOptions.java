package org.g2gnet.cli.train;

import java.nio.file.Path;
import java.util.List;

import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GLayerValidation;
import org.g2gnet.rewiring.HebbianScore;
import org.g2gnet.rewiring.MaskUpdater;
import org.g2gnet.schedule.RewiringSchedule;

/**
 * Everything one training run needs, as five values: the network ({@link ModelOptions}), how it trains
 * ({@link ProtocolOptions}), its rewiring ({@link RewiringOptions}, which becomes the library's
 * {@code RewiringConfig}), where it writes ({@link OutputOptions}) and what it prints ({@link DisplayOptions}).
 * Defaults are the paper's protocol (docs/DESIGN.md section 3). The {@link Builder} takes the options one by one,
 * as the command line names them, and validates them all, naming the option in the message.
 *
 * @param model    the network
 * @param protocol how it trains and on what
 * @param rewiring dynamic sparse training (static masks without --dst)
 * @param output   where it writes, checkpoints and resumption
 * @param display  progress bar and log lines
 */
public record TrainOptions(ModelOptions model, ProtocolOptions protocol, RewiringOptions rewiring,
                           OutputOptions output, DisplayOptions display) {

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
        b.model = model.kind();
        b.arch = model.arch();
        b.width = model.width();
        b.layers = model.layers();
        b.channels = model.channels();
        b.groups = model.groups();
        b.pIntra = model.pIntra();
        b.pInter = model.pInter();
        b.density = model.density();
        b.intraShare = model.intraShare();
        b.grouping = model.grouping();
        b.execution = model.execution();
        b.tileSize = model.tileSize();
        b.epochs = protocol.epochs();
        b.batch = protocol.batch();
        b.lr = protocol.lr();
        b.weightDecay = protocol.weightDecay();
        b.seed = protocol.seed();
        b.dataset = protocol.dataset();
        b.dataDir = protocol.dataDir();
        b.trainLimit = protocol.trainLimit();
        b.validation = protocol.validation();
        b.dst = rewiring.dst();
        b.rewireEvery = rewiring.every();
        b.rewireFraction = rewiring.fraction();
        b.rewireSchedule = rewiring.decay();
        b.rewireStop = rewiring.stop();
        b.rewireStopFraction = rewiring.stopFraction();
        b.hebbianScore = rewiring.hebbianScore();
        b.prunePrefilter = rewiring.prunePrefilter();
        b.regrowth = rewiring.regrowth();
        b.hebbianDecay = rewiring.hebbianDecay();
        b.hebbianWindow = rewiring.hebbianWindow();
        b.out = output.out();
        b.checkpointEvery = output.checkpointEvery();
        b.keepCheckpoints = output.keepCheckpoints();
        b.resume = output.resume();
        b.progress = display.progress();
        b.logEvery = display.logEvery();
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
            return new TrainOptions(
                    new ModelOptions(model, arch, width, layers, channels, groups, pIntra, pInter, density, intraShare,
                            grouping, execution, tileSize),
                    new ProtocolOptions(epochs, batch, lr, weightDecay, seed, dataset, dataDir, trainLimit, validation),
                    new RewiringOptions(dst, rewireEvery, rewireFraction, rewireSchedule, rewireStop, rewireStopFraction,
                            hebbianScore, prunePrefilter, regrowth, hebbianDecay, hebbianWindow),
                    new OutputOptions(out, checkpointEvery, keepCheckpoints, resume),
                    new DisplayOptions(progress, logEvery)).validate();
        }
    }

    /**
     * Checks every value, naming the option and the value: each part its own, then what spans parts.
     *
     * @return this
     * @throws IllegalArgumentException on a bad value
     */
    public TrainOptions validate() {
        model.validate();
        protocol.validate();
        if (model.arch() == Arch.CNN) {
            CnnFactory.validate(this);
        }
        if (model.execution() == Execution.BLOCK && rewiring.dst() != null
                && rewiring.dst().grow().needsDenseGradient()) {
            throw new IllegalArgumentException("--dst " + rewiring.dst() + " is not available with --execution block: "
                    + "a block does not compute the dense gradient x^T delta that gradient growth ranks by; use "
                    + "--execution structured or another growth criterion (hebbian or random)");
        }
        output.validate();
        display.validate();
        if (rewiring.dst() != null && model.kind() == ModelKind.DENSE) {
            throw new IllegalArgumentException("--dst needs a sparse model (--model g2g or er), got --model dense");
        }
        rewiring.validate();
        model.checkConnections(protocol.dataset());
        return this;
    }

    static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
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
        model.fingerprint(sb);
        protocol.fingerprint(sb);
        if (model.arch() == Arch.CNN) {
            // MLP runs print nothing here, so that runs finished before the option existed still match
            sb.append(" arch=cnn channels=").append(CnnFactory.channelsName(model.channels()));
        }
        rewiring.fingerprint(sb);
        return sb.toString();
    }
}
