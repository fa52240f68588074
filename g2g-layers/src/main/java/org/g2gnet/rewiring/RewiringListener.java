package org.g2gnet.rewiring;

import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.conf.G2GParamInitializer;
import org.g2gnet.layers.G2GBaseLayer;
import org.g2gnet.layers.G2GDenseLayerImpl;
import org.g2gnet.layers.G2GStructuredLayerImpl;
import org.g2gnet.layers.HebbianStats;
import org.g2gnet.layers.HostArrays;
import org.g2gnet.layers.Workspaces;
import org.g2gnet.topology.GroupPartition;
import org.g2gnet.util.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic sparse training of every {@link G2GDenseLayer} in a {@code MultiLayerNetwork} or
 * {@code ComputationGraph}: after every {@code n} optimizer steps (or epochs), each G2G layer prunes a
 * fraction of its active connections and regrows as many among the inactive ones, so its density never
 * changes.
 * <pre>{@code
 * RewiringListener rewiring = RewiringListener.builder()
 *         .everyIterations(1000).fraction(0.1)
 *         .prune(PruneCriterion.HEBBIAN).grow(GrowthCriterion.HEBBIAN)
 *         .seed(42).build();
 * net.addListeners(rewiring);
 * }</pre>
 *
 * <p>The Hebbian score of a connection (i, o) is the cosine similarity, over the last mini-batch, of the
 * layer's input column {@code x_i} and output column {@code a_o} (after activation). It is collected in
 * {@code onForwardPass} only on the iterations that need it (the iteration before an event, or a window of
 * iterations when averaging), into buffers this listener owns. The mask changes in
 * {@code iterationDone}, after the optimizer step, through {@link MaskUpdater}.</p>
 *
 * <p>Randomness: every event of every layer uses its own RNG derived from the seed, the layer index and
 * the iteration, so events are reproducible and a resumed run makes the same choices. The listener's
 * remaining state (events so far and an unfinished Hebbian average) is saved into a model file with
 * {@link #saveState(File)} and read back with {@link #restoreState(File)}.</p>
 */
public final class RewiringListener extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RewiringListener.class);

    /** Key of the listener's state inside a ModelSerializer zip file. */
    public static final String STATE_KEY = "g2g-rewiring-state";

    private final RewiringSchedule schedule;
    private final PruneCriterion prune;
    private final GrowthCriterion grow;
    private final Long seed;
    private final MaskUpdater.Regrowth regrowth;
    private final double hebbianDecay;
    private final int hebbianWindow;
    private final HebbianScore hebbianScore;
    private final double prunePrefilter;
    private final boolean logEvents;

    private final List<RewiringEvent> events = new ArrayList<>();
    private transient Map<String, HebbianStats> stats = new HashMap<>();
    private transient Map<String, INDArray> gradientSinks = new HashMap<>();
    private transient Map<String, GroupPartition[]> partitions = new HashMap<>();
    private transient Map<String, INDArray> scratch = new HashMap<>();
    private transient Model boundModel;
    private transient List<G2GBaseLayer> layers;
    private transient State pendingRestore;

    private RewiringListener(Builder b) {
        this.schedule = new RewiringSchedule(b.period, b.perEpoch, b.fraction, b.decay, b.decayIterations, b.stopIteration);
        this.prune = b.prune;
        this.grow = b.grow;
        this.seed = b.seed;
        this.regrowth = b.regrowth;
        this.hebbianDecay = b.hebbianDecay;
        this.hebbianWindow = b.hebbianWindow;
        this.hebbianScore = b.hebbianScore;
        this.prunePrefilter = b.prunePrefilter;
        this.logEvents = b.logEvents;
    }

    /** @return a builder with the paper's settings: every 1000 iterations, fraction 0.1, Hebbian/Hebbian */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the events so far, oldest first (an unmodifiable view) */
    public List<RewiringEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** @return the schedule */
    public RewiringSchedule schedule() {
        return schedule;
    }

    /** @return the prune criterion */
    public PruneCriterion prune() {
        return prune;
    }

    /** @return the growth criterion */
    public GrowthCriterion grow() {
        return grow;
    }

    // ------------------------------------------------------------------------------------ DL4J hooks

    @Override
    public void onEpochStart(Model model) {
        bind(model);
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        List<G2GBaseLayer> ls = bind(model);
        int iteration = iterationCount(model);
        boolean collect = needsStats(iteration);
        for (G2GBaseLayer layer : ls) {
            if (collect) {
                collect(layer, activations.get(layer.getIndex() + 1));
            }
            prepareGradientCapture(layer, iteration);
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        List<G2GBaseLayer> ls = bind(model);
        int iteration = iterationCount(model);
        boolean collect = needsStats(iteration);
        for (G2GBaseLayer layer : ls) {
            if (collect) {
                INDArray a = activations.get(layer.layerConf().getLayerName());
                if (a == null) {
                    throw new IllegalStateException("RewiringListener: no activations for layer '" + layer.name()
                            + "' in the forward pass; got " + activations.keySet());
                }
                collect(layer, a);
            }
            prepareGradientCapture(layer, iteration);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (!schedule.perEpoch() && schedule.isEventIteration(iteration)) {
            rewire(model, iteration, epoch);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        if (!schedule.perEpoch()) {
            return;
        }
        int epochsDone = epochCount(model) + 1;
        int iterations = iterationCount(model);
        if (schedule.isEventEpoch(epochsDone, iterations)) {
            rewire(model, iterations - 1, epochCount(model));
        }
    }

    // ------------------------------------------------------------------------------------ events on demand

    /**
     * Rewires every G2G layer of {@code net} now, scoring connections on {@code sample} instead of on the
     * training callbacks: one forward pass gives the Hebbian score (and, for gradient growth, one backward pass
     * the dense {@code x^T delta}). This is for engines whose training steps run elsewhere: DL4J on Spark trains
     * on the executors, and the driver rewires its copy of the network between training rounds, after which
     * the new masks travel to the executors with the parameters. When to call it is the caller's business;
     * the schedule's fraction at {@code iteration} applies, and the updater state of every changed entry is
     * reset in {@code net}'s updater as during training.
     *
     * @param net       the network; it needs no listener attached
     * @param sample    the examples to score connections on (a few hundred to a few thousand)
     * @param iteration the global iteration of the event (fraction, random seed and the event record)
     * @param epoch     the epoch, for the event record
     * @return this call's events, one per G2G layer
     */
    public List<RewiringEvent> rewireNow(MultiLayerNetwork net, org.nd4j.linalg.dataset.api.DataSet sample,
                                         int iteration, int epoch) {
        if (sample == null || sample.getFeatures() == null || sample.getFeatures().size(0) == 0) {
            throw new IllegalArgumentException("RewiringListener.rewireNow: the sample has no examples");
        }
        if (iteration < 0) {
            throw new IllegalArgumentException("RewiringListener.rewireNow: iteration must be >= 0, got " + iteration);
        }
        List<G2GBaseLayer> ls = bind(net);
        for (HebbianStats h : stats.values()) {
            h.reset();
        }
        List<INDArray> acts = net.feedForward(sample.getFeatures(), false);
        for (G2GBaseLayer layer : ls) {
            int i = layer.getIndex();
            INDArray x = acts.get(i);
            org.deeplearning4j.nn.conf.InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pp != null) {
                x = pp.preProcess(x, (int) x.size(0), org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
            }
            stats.computeIfAbsent(layer.name(), k -> new HebbianStats())
                    .accumulate(x, acts.get(i + 1), 0, hebbianScore == HebbianScore.CENTERED);
        }
        if (grow == GrowthCriterion.GRADIENT) {
            if (sample.getLabels() == null) {
                throw new IllegalArgumentException("RewiringListener.rewireNow: gradient growth needs labels in the sample");
            }
            for (G2GBaseLayer layer : ls) {
                captureGradient(layer, true);
            }
            net.setInput(sample.getFeatures());
            net.setLabels(sample.getLabels());
            net.computeGradientAndScore();
            net.clear();
        }
        int before = events.size();
        rewire(net, iteration, epoch);
        for (G2GBaseLayer layer : ls) {
            layer.captureDenseGradient(null);
        }
        return List.copyOf(events.subList(before, events.size()));
    }

    // ------------------------------------------------------------------------------------ statistics

    private boolean needsStats(int iteration) {
        if (schedule.perEpoch()) {
            return true;
        }
        int window = hebbianDecay > 0 ? hebbianWindow : 1;
        for (int j = 0; j < window; j++) {
            if (schedule.isEventIteration(iteration + j)) {
                return true;
            }
        }
        return false;
    }

    private void collect(G2GBaseLayer layer, INDArray output) {
        INDArray input = layer.input();
        if (input == null) {
            return;
        }
        HebbianStats s = stats.computeIfAbsent(layer.name(), k -> new HebbianStats());
        if (schedule.perEpoch() && hebbianDecay == 0) {
            s.stash(input, output);
        } else {
            s.accumulate(input, output, hebbianDecay, hebbianScore == HebbianScore.CENTERED);
        }
    }

    private void prepareGradientCapture(G2GBaseLayer layer, int iteration) {
        captureGradient(layer, grow == GrowthCriterion.GRADIENT
                && (schedule.perEpoch() || schedule.isEventIteration(iteration)));
    }

    private void captureGradient(G2GBaseLayer layer, boolean want) {
        INDArray sink = !want ? null : gradientSinks.computeIfAbsent(layer.name(), k -> Workspaces.detached(() ->
                Nd4j.create(layer.getParam(G2GParamInitializer.BIAS_KEY).dataType(),
                        new long[] {layer.layerConf().getNIn(), layer.layerConf().getNOut()}, 'f')));
        layer.captureDenseGradient(sink);
    }

    // ------------------------------------------------------------------------------------ events

    private void rewire(Model model, int iteration, int epoch) {
        List<G2GBaseLayer> ls = bind(model);
        Updater updater = updaterOf(model);
        long baseSeed = seed != null ? seed : networkSeed(model);
        for (G2GBaseLayer layer : ls) {
            RewiringEvent e;
            if (layer instanceof G2GDenseLayerImpl masked) {
                e = rewireLayer(masked, iteration, epoch, updater, networkSeed(model), baseSeed);
            } else {
                G2GStructuredLayerImpl s = (G2GStructuredLayerImpl) layer;
                INDArray g = gradientSinks.get(s.name());
                e = TileRewiring.rewire(s, prune, grow, schedule.fractionAt(iteration + 1),
                        new TileRewiring.Sources(hebbianHost(s.name()), g == null ? null : abs(HostArrays.toFloats(g))),
                        iteration, epoch, updater,
                        new SplittableRandom(Seeds.mix(Seeds.mix(baseSeed, s.getIndex()), iteration)));
            }
            events.add(e);
            if (logEvents) {
                log.info(e.summary());
            }
        }
        for (HebbianStats s : stats.values()) {
            s.reset();
        }
    }

    private RewiringEvent rewireLayer(G2GDenseLayerImpl layer, int iteration, int epoch, Updater updater,
                                      long netSeed, long baseSeed) {
        float[] oldMask = HostArrays.toFloats(layer.mask());
        int activeCount = 0;
        for (float v : oldMask) {
            if (v != 0f) {
                activeCount++;
            }
        }
        int[] active = new int[activeCount];
        int[] inactive = new int[oldMask.length - activeCount];
        for (int k = 0, a = 0, b = 0; k < oldMask.length; k++) {
            if (oldMask[k] != 0f) {
                active[a++] = k;
            } else {
                inactive[b++] = k;
            }
        }
        double fraction = schedule.fractionAt(iteration + 1);
        int count = (int) Math.min(Math.round(fraction * activeCount), inactive.length);
        LayerScores scores = new LayerScores(() -> HostArrays.toFloats(layer.weights()),
                () -> hebbianHost(layer.name()), () -> {
                    INDArray g = gradientSinks.get(layer.name());
                    return g == null ? null : HostArrays.toFloats(g);
                });
        SplittableRandom rng = new SplittableRandom(Seeds.mix(Seeds.mix(baseSeed, layer.getIndex()), iteration));
        int[] candidates = active;
        if (prunePrefilter < 1 && prune != PruneCriterion.MAGNITUDE) {
            // only the smallest weights may go: the criterion chooses among the prunePrefilter share of them
            int keep = (int) Math.min(active.length, Math.max(count, Math.ceil(prunePrefilter * active.length)));
            candidates = Selection.lowest(scores.absWeights(), active, keep, rng);
        }
        int[] pruned = Selection.lowest(prune.scores(scores), candidates, count, rng);
        int[] grown = Selection.highest(grow.scores(scores), inactive, count, rng);

        float[] absW = scores.absWeights();
        double meanAbsActive = mean(absW, active);
        float[] hebbian = scores.hebbianOrNull();
        INDArray buffer = scratch.computeIfAbsent(layer.name(), k -> HostArrays.detachedLike(layer.weights()));
        float[] newMask = MaskUpdater.apply(layer, oldMask, pruned, grown, regrowth, meanAbsActive, updater, rng,
                buffer);

        GroupPartition[] parts = partitions.computeIfAbsent(layer.name(), k -> new GroupPartition[] {
                layer.layerConf().inputPartition(netSeed), layer.layerConf().outputPartition(netSeed)});
        int[] inLabels = parts[0].labels();
        int[] outLabels = parts[1].labels();
        int nIn = inLabels.length;
        int grownIntra = 0;
        for (int k : grown) {
            if (inLabels[k % nIn] == outLabels[k / nIn]) {
                grownIntra++;
            }
        }
        long intraActive = 0;
        for (int k = 0; k < newMask.length; k++) {
            if (newMask[k] != 0f && inLabels[k % nIn] == outLabels[k / nIn]) {
                intraActive++;
            }
        }
        double zeroShare = Double.NaN;
        if (hebbian != null && pruned.length > 0) {
            int zeros = 0;
            for (int k : pruned) {
                if (hebbian[k] == 0f) {
                    zeros++;
                }
            }
            zeroShare = zeros / (double) pruned.length;
        }
        return new RewiringEvent(layer.name(), layer.getIndex(), iteration, epoch, pruned.length, grown.length,
                activeCount / (double) oldMask.length, mean(hebbian, pruned), mean(hebbian, grown), grownIntra,
                grown.length - grownIntra, mean(absW, pruned), meanAbsActive, zeroShare,
                activeCount == 0 ? 0 : intraActive / (double) activeCount, fraction);
    }

    private static float[] abs(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        return v;
    }

    private float[] hebbianHost(String layerName) {
        HebbianStats s = stats.get(layerName);
        if (s == null) {
            return null;
        }
        if (s.hasStash()) {
            s.accumulateStashed(0, hebbianScore == HebbianScore.CENTERED);
        }
        INDArray score = s.score();
        if (score == null) {
            return null;
        }
        float[] h = HostArrays.toFloats(score);
        if (hebbianScore == HebbianScore.ABSOLUTE) {
            for (int i = 0; i < h.length; i++) {
                h[i] = Math.abs(h[i]);
            }
        }
        return h;
    }

    private static double mean(float[] values, int[] idx) {
        if (values == null || idx.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int k : idx) {
            s += values[k];
        }
        return s / idx.length;
    }

    // ------------------------------------------------------------------------------------ model access

    private List<G2GBaseLayer> bind(Model model) {
        if (model == boundModel && layers != null) {
            return layers;
        }
        Layer[] all = layersOf(model);
        List<G2GBaseLayer> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Layer l : all) {
            names.add(l.getClass().getSimpleName() + "(" + l.conf().getLayer().getLayerName() + ")");
            if (l instanceof G2GBaseLayer g) {
                found.add(g);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("RewiringListener: the network has no trainable G2GDenseLayer to rewire "
                    + "(frozen layers are not rewired); its layers are " + names);
        }
        if (stats == null) {
            stats = new HashMap<>();
            gradientSinks = new HashMap<>();
            partitions = new HashMap<>();
            scratch = new HashMap<>();
        }
        boundModel = model;
        layers = found;
        applyPendingRestore();
        return found;
    }

    private static Layer[] layersOf(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getLayers();
        }
        if (model instanceof ComputationGraph g) {
            return g.getLayers();
        }
        throw new IllegalArgumentException("RewiringListener: supports MultiLayerNetwork and ComputationGraph, got "
                + model.getClass().getName());
    }

    private static Updater updaterOf(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getUpdater(false);
        }
        if (model instanceof ComputationGraph g) {
            return g.getUpdater(false);
        }
        return null;
    }

    private static int iterationCount(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getIterationCount();
        }
        return ((ComputationGraph) model).getIterationCount();
    }

    private static int epochCount(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getEpochCount();
        }
        return ((ComputationGraph) model).getEpochCount();
    }

    private static long networkSeed(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getLayerWiseConfigurations().getConf(0).getSeed();
        }
        return ((ComputationGraph) model).getConfiguration().getDefaultConfiguration().getSeed();
    }

    // ------------------------------------------------------------------------------------ state

    /**
     * What the listener needs to continue exactly where it stopped: the events so far and any Hebbian
     * average in progress (scores in 'f' order with their shape and batch count).
     *
     * @param events the events so far
     * @param scores Hebbian averages in progress, by layer name
     * @param shapes shape [nIn, nOut] of each score
     * @param counts number of batches in each score
     */
    public record State(List<RewiringEvent> events, Map<String, float[]> scores, Map<String, long[]> shapes,
                        Map<String, Integer> counts) implements Serializable {
    }

    /** @return a snapshot of the state */
    public State state() {
        Map<String, float[]> scores = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (stats != null) {
            for (Map.Entry<String, HebbianStats> e : stats.entrySet()) {
                INDArray s = e.getValue().score();
                if (s != null) {
                    scores.put(e.getKey(), HostArrays.toFloats(s));
                    shapes.put(e.getKey(), s.shape());
                    counts.put(e.getKey(), e.getValue().updates());
                }
            }
        }
        return new State(new ArrayList<>(events), scores, shapes, counts);
    }

    /**
     * Continues from a saved state (applied to the network's layers at the next training callback).
     *
     * @param state a state from {@link #state()}
     */
    public void restore(State state) {
        events.clear();
        events.addAll(state.events());
        pendingRestore = state;
        if (layers != null) {
            applyPendingRestore();
        }
    }

    private void applyPendingRestore() {
        if (pendingRestore == null) {
            return;
        }
        State s = pendingRestore;
        pendingRestore = null;
        stats.clear();
        for (G2GBaseLayer layer : layers) {
            String n = layer.name();
            float[] v = s.scores().get(n);
            if (v != null) {
                long[] shape = s.shapes().get(n);
                HebbianStats h = new HebbianStats();
                h.restore(v, shape[0], shape[1], s.counts().get(n), layer.getParam(G2GParamInitializer.BIAS_KEY));
                stats.put(n, h);
            }
        }
    }

    /**
     * Adds the listener's state to a model file written by {@code ModelSerializer} (or DL4J's
     * CheckpointListener), under {@link #STATE_KEY}.
     *
     * @param modelFile an existing model zip file
     */
    public void saveState(File modelFile) {
        ModelSerializer.addObjectToFile(modelFile, STATE_KEY, state());
    }

    /**
     * Reads the state saved by {@link #saveState(File)}. A file without it (e.g. a plain checkpoint)
     * restores the events-free initial state: because every event's RNG is derived from the seed and the
     * iteration, that is exact unless a Hebbian moving average was in progress.
     *
     * @param modelFile the model zip file
     */
    public void restoreState(File modelFile) {
        State s = ModelSerializer.listObjectsInFile(modelFile).contains(STATE_KEY)
                ? ModelSerializer.getObjectFromFile(modelFile, STATE_KEY)
                : new State(List.of(), Map.of(), Map.of(), Map.of());
        restore(s);
    }

    // ------------------------------------------------------------------------------------ builder

    /**
     * Builder of {@link RewiringListener}; every setter validates its value.
     */
    public static final class Builder {
        private int period = 1000;
        private boolean perEpoch;
        private boolean periodSet;
        private double fraction = 0.1;
        private RewiringSchedule.Decay decay = RewiringSchedule.Decay.CONSTANT;
        private int decayIterations;
        private int stopIteration = Integer.MAX_VALUE;
        private PruneCriterion prune = PruneCriterion.HEBBIAN;
        private GrowthCriterion grow = GrowthCriterion.HEBBIAN;
        private Long seed;
        private MaskUpdater.Regrowth regrowth = MaskUpdater.Regrowth.ZERO;
        private double hebbianDecay;
        private int hebbianWindow = 1;
        private HebbianScore hebbianScore = HebbianScore.SIGNED;
        private double prunePrefilter = 1.0;
        private boolean logEvents = true;

        private Builder() {
        }

        /**
         * @param n rewire after every n optimizer steps, &gt;= 1 (default 1000)
         * @return this
         */
        public Builder everyIterations(int n) {
            checkPeriod(n, "iterations");
            this.period = n;
            this.perEpoch = false;
            return this;
        }

        /**
         * @param n rewire at the end of every n epochs, &gt;= 1
         * @return this
         */
        public Builder everyEpochs(int n) {
            checkPeriod(n, "epochs");
            this.period = n;
            this.perEpoch = true;
            return this;
        }

        private void checkPeriod(int n, String unit) {
            if (periodSet) {
                throw new IllegalArgumentException("RewiringListener: set either everyIterations or everyEpochs, once");
            }
            if (n < 1) {
                throw new IllegalArgumentException("RewiringListener: the rewiring period must be >= 1 " + unit
                        + ", got " + n);
            }
            periodSet = true;
        }

        /**
         * @param f fraction of each layer's active connections replaced per event, in (0, 1] (default 0.1)
         * @return this
         */
        public Builder fraction(double f) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("RewiringListener: fraction must be in (0, 1], got " + f);
            }
            this.fraction = f;
            return this;
        }

        /**
         * Decays the fraction with a half cosine to 0 over the given number of optimizer steps (RigL).
         *
         * @param totalIterations steps of the whole training, &gt;= 1
         * @return this
         */
        public Builder cosineDecay(int totalIterations) {
            if (totalIterations < 1) {
                throw new IllegalArgumentException("RewiringListener: cosine decay needs the total number of "
                        + "iterations (>= 1), got " + totalIterations);
            }
            this.decay = RewiringSchedule.Decay.COSINE;
            this.decayIterations = totalIterations;
            return this;
        }

        /**
         * @param iteration no event once this many optimizer steps are done, &gt;= 0
         * @return this
         */
        public Builder stopAt(int iteration) {
            if (iteration < 0) {
                throw new IllegalArgumentException("RewiringListener: stop iteration must be >= 0, got " + iteration);
            }
            this.stopIteration = iteration;
            return this;
        }

        /**
         * @param c what to prune (default HEBBIAN)
         * @return this
         */
        public Builder prune(PruneCriterion c) {
            this.prune = java.util.Objects.requireNonNull(c, "prune criterion");
            return this;
        }

        /**
         * @param c what to grow (default HEBBIAN)
         * @return this
         */
        public Builder grow(GrowthCriterion c) {
            this.grow = java.util.Objects.requireNonNull(c, "growth criterion");
            return this;
        }

        /**
         * @param seed seed of all rewiring randomness (default: the network's seed)
         * @return this
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param r how regrown weights start (default ZERO)
         * @return this
         */
        public Builder regrowth(MaskUpdater.Regrowth r) {
            this.regrowth = java.util.Objects.requireNonNull(r, "regrowth");
            return this;
        }

        /**
         * Averages the Hebbian score over the last {@code window} mini-batches before each event with an
         * exponential moving average of the given decay, instead of using the last batch only.
         *
         * @param decay  weight of the old average, in (0, 1)
         * @param window batches before each event that enter the average, &gt;= 1
         * @return this
         */
        public Builder hebbianAverage(double decay, int window) {
            if (!(decay > 0 && decay < 1)) {
                throw new IllegalArgumentException("RewiringListener: Hebbian average decay must be in (0, 1), got " + decay);
            }
            if (window < 1) {
                throw new IllegalArgumentException("RewiringListener: Hebbian average window must be >= 1, got " + window);
            }
            this.hebbianDecay = decay;
            this.hebbianWindow = window;
            return this;
        }

        /**
         * @param score how the Hebbian score is computed (default SIGNED, the paper's)
         * @return this
         */
        public Builder hebbianScore(HebbianScore score) {
            this.hebbianScore = java.util.Objects.requireNonNull(score, "hebbianScore");
            return this;
        }

        /**
         * Restricts pruning to the given share of the active connections with the smallest |w|; the prune
         * criterion then chooses among those (for MAGNITUDE pruning it changes nothing).
         *
         * @param share in (0, 1] (default 1: every active connection is a candidate)
         * @return this
         */
        public Builder prunePrefilter(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("RewiringListener: prune prefilter share must be in (0, 1], got " + share);
            }
            this.prunePrefilter = share;
            return this;
        }

        /**
         * @param log log one line per event and layer through SLF4J (default true)
         * @return this
         */
        public Builder logEvents(boolean log) {
            this.logEvents = log;
            return this;
        }

        /** @return the listener */
        public RewiringListener build() {
            return new RewiringListener(this);
        }
    }
}
