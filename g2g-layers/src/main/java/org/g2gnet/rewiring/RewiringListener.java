package org.g2gnet.rewiring;

import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.activity.ActivityRecorder;
import org.g2gnet.conf.G2GConvolutionLayer;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.schedule.RewiringSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic sparse training of every G2G layer ({@link G2GDenseLayer}, masked or structured, every inner layer of
 * a {@link org.g2gnet.conf.G2GBlock}, and {@link G2GConvolutionLayer}) in a {@code MultiLayerNetwork} or
 * {@code ComputationGraph}: after every {@code n}
 * optimizer steps (or epochs), each G2G layer prunes a fraction of its active connections (a convolution: of its
 * active channel pairs, each a whole kernel) and regrows as many among the inactive ones, so its density never
 * changes. A G2G layer of a kind it cannot rewire is refused with its name when the listener first meets the
 * network, never left static in silence; frozen layers are not rewired.
 * <pre>{@code
 * RewiringListener rewiring = RewiringListener.builder()
 *         .everyIterations(1000).fraction(0.1)
 *         .prune(PruneCriterion.HEBBIAN).grow(GrowthCriterion.HEBBIAN)
 *         .seed(42).build();
 * net.addListeners(rewiring);
 * }</pre>
 *
 * <p>This class is only the DL4J face of the idea. What and when is a {@link RewiringConfig}; the activity an
 * event needs (the Hebbian score of a connection (i, o): the cosine similarity, over the last mini-batch, of the
 * layer's input column {@code x_i} and output column {@code a_o}; of a convolution's channel pair: the same over
 * the batch and the positions of the two channels' maps, pooled to a common size; the dense gradient) is recorded
 * in {@code onForwardPass} by an {@link ActivityRecorder}, only on the iterations that need it; each layer is
 * rewired in {@code iterationDone}, after the optimizer step, by its {@link LayerRewirer} (chosen once per layer:
 * masked, structured, convolution, or one per inner layer of a block, named "block/k"), which changes it through
 * {@link MaskUpdater}. A block cannot grow by GRADIENT (it has no dense gradient of its inner layers).</p>
 *
 * <p>Randomness: every event of every layer uses its own RNG derived from the seed, the layer index (for an inner
 * layer of a block, an id made of the block's index and its position) and the iteration, so events are
 * reproducible and a resumed run makes the same choices. The listener's
 * remaining state (events so far and an unfinished Hebbian average) is saved into a model file with
 * {@link #saveState(File)} and read back with {@link #restoreState(File)}.</p>
 */
public final class RewiringListener extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final Logger log = LoggerFactory.getLogger(RewiringListener.class);

    /** Key of the listener's state inside a ModelSerializer zip file. */
    public static final String STATE_KEY = "g2g-rewiring-state";

    private final RewiringConfig config;
    private final List<RewiringEvent> events = new ArrayList<>();
    private transient ActivityRecorder activity;
    private transient Model boundModel;
    private transient Thread boundThread;
    private transient List<LayerRewirer> units;
    private transient State pendingRestore;

    /**
     * @param config what to do and when
     */
    public RewiringListener(RewiringConfig config) {
        this.config = config;
    }

    /** @return a builder with the paper's settings: every 1000 iterations, fraction 0.1, Hebbian/Hebbian */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the configuration */
    public RewiringConfig config() {
        return config;
    }

    /** @return the events so far, oldest first (an unmodifiable view) */
    public List<RewiringEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** @return the schedule */
    public RewiringSchedule schedule() {
        return config.schedule();
    }

    /** @return the prune criterion */
    public PruneCriterion prune() {
        return config.prune();
    }

    /** @return the growth criterion */
    public GrowthCriterion grow() {
        return config.grow();
    }

    // ------------------------------------------------------------------------------------ DL4J hooks

    @Override
    public void onEpochStart(Model model) {
        bind(model);
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        record(model, layer -> activations.get(layer.getIndex() + 1));
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        record(model, layer -> {
            INDArray a = activations.get(layer.conf().getLayer().getLayerName());
            if (a == null) {
                throw new IllegalStateException("RewiringListener: no activations for layer '"
                        + layer.conf().getLayer().getLayerName() + "' in the forward pass; got " + activations.keySet());
            }
            return a;
        });
    }

    private void record(Model model, Function<Layer, INDArray> outputs) {
        List<LayerRewirer> us = bind(model);
        int iteration = ModelAccess.iterationCount(model);
        boolean hebbian = config.recordsActivityAt(iteration);
        boolean gradient = config.capturesGradientAt(iteration);
        for (LayerRewirer u : us) {
            if (hebbian) {
                activity.record(u.source(), u.output(outputs));
            }
            activity.captureGradient(u.source(), gradient);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (!config.schedule().perEpoch() && config.schedule().isEventIteration(iteration)) {
            rewire(model, iteration, epoch);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        if (!config.schedule().perEpoch()) {
            return;
        }
        int epochsDone = ModelAccess.epochCount(model) + 1;
        int iterations = ModelAccess.iterationCount(model);
        if (config.schedule().isEventEpoch(epochsDone, iterations)) {
            rewire(model, iterations - 1, ModelAccess.epochCount(model));
        }
    }

    // ------------------------------------------------------------------------------------ events

    /**
     * Rewires every G2G layer of {@code net} now, scoring connections on {@code sample} instead of on the
     * training callbacks: one forward pass gives the Hebbian score (and, for gradient growth, one backward pass
     * the dense {@code x^T delta}, or a convolution's dense kernel gradient). This is for engines whose training steps run elsewhere: DL4J on Spark trains
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
    public List<RewiringEvent> rewireNow(MultiLayerNetwork net, DataSet sample, int iteration, int epoch) {
        if (sample == null || sample.getFeatures() == null || sample.getFeatures().size(0) == 0) {
            throw new IllegalArgumentException("RewiringListener.rewireNow: the sample has no examples");
        }
        if (iteration < 0) {
            throw new IllegalArgumentException("RewiringListener.rewireNow: iteration must be >= 0, got " + iteration);
        }
        List<LayerRewirer> us = bind(net);
        activity.reset();
        List<INDArray> acts = net.feedForward(sample.getFeatures(), false);
        for (LayerRewirer u : us) {
            int i = u.layer().getIndex();
            INDArray x = acts.get(i);
            InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pp != null) {
                x = pp.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
            }
            u.recordSample(activity, x, layer -> acts.get(layer.getIndex() + 1));
        }
        if (config.grow().needsDenseGradient()) {
            if (sample.getLabels() == null) {
                throw new IllegalArgumentException("RewiringListener.rewireNow: gradient growth needs labels in the sample");
            }
            for (LayerRewirer u : us) {
                activity.captureGradient(u.source(), true);
            }
            net.setInput(sample.getFeatures());
            net.setLabels(sample.getLabels());
            net.computeGradientAndScore();
            net.clear();
        }
        int before = events.size();
        rewire(net, iteration, epoch);
        for (LayerRewirer u : us) {
            activity.captureGradient(u.source(), false);
        }
        return List.copyOf(events.subList(before, events.size()));
    }

    private void rewire(Model model, int iteration, int epoch) {
        List<LayerRewirer> us = bind(model);
        long networkSeed = ModelAccess.networkSeed(model);
        LayerRewirer.Context event = new LayerRewirer.Context(iteration, epoch,
                config.schedule().fractionAt(iteration + 1), config.baseSeed(networkSeed), networkSeed,
                ModelAccess.updater(model), activity, config.hebbianScore());
        for (LayerRewirer u : us) {
            RewiringEvent e = u.rewire(event);
            events.add(e);
            if (config.logEvents()) {
                log.info(e.summary());
            }
        }
        activity.reset();
    }

    /**
     * The rewirable units of the model, found once per model (and the recorder, created once). A listener serves one
     * model at a time: moving on to another model (a network restored from a checkpoint) is fine from the same thread
     * or once the first model's thread has ended, but a second model calling from another live thread means one
     * listener on several workers (DL4J's ParallelWrapper hands its listeners to every worker), whose masks it would
     * rewire apart before parameter averaging mixes them: refused at the first such call, before any event.
     */
    private synchronized List<LayerRewirer> bind(Model model) {
        if (model == boundModel && units != null) {
            return units;
        }
        Thread caller = Thread.currentThread();
        if (boundModel != null && boundThread != null && boundThread != caller && boundThread.isAlive()) {
            throw new IllegalStateException("RewiringListener: called by a second model on thread '" + caller.getName()
                    + "' while it serves a model on thread '" + boundThread.getName() + "'. One listener on several "
                    + "workers (DL4J's ParallelWrapper gives its listeners, and the model's, to every worker) would "
                    + "rewire each worker's masks differently, and parameter averaging would mix them into masks that "
                    + "are neither 0 nor 1. Train on several workers with org.g2gnet.parallel.ParallelRewiring "
                    + "(module g2g-parallel; ./g2g train --engine parallel), which rewires once on the averaged "
                    + "network between rounds, and attach no RewiringListener to the wrapper or its model");
        }
        boundThread = caller;
        List<LayerRewirer> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Layer l : ModelAccess.layers(model)) {
            names.add(l.getClass().getSimpleName() + "(" + l.conf().getLayer().getLayerName() + ")");
            found.addAll(LayerRewirer.of(l, config));
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("RewiringListener: the network has no trainable G2GDenseLayer or "
                    + "G2GConvolutionLayer to rewire (frozen layers are not rewired); its layers are " + names);
        }
        if (activity == null) {
            activity = new ActivityRecorder(config.hebbianDecay(), config.hebbianScore() == HebbianScore.CENTERED,
                    config.defersHebbianReduction());
        }
        boundModel = model;
        units = found;
        applyPendingRestore();
        return found;
    }

    // ------------------------------------------------------------------------------------ state

    /**
     * What the listener needs to continue exactly where it stopped: the events so far and any Hebbian
     * average in progress (scores in 'f' order, in the network's precision, with their shape and batch count).
     *
     * @param events the events so far
     * @param scores Hebbian averages in progress, by layer name
     * @param shapes shape [nIn, nOut] of each score
     * @param counts number of batches in each score
     */
    public record State(List<RewiringEvent> events, Map<String, double[]> scores, Map<String, long[]> shapes,
                        Map<String, Integer> counts) implements Serializable {

        /** Takes the scores as they come; files written before version 0.2 hold them as float[]. */
        public State {
            Map<String, double[]> exact = new LinkedHashMap<>();
            for (Map.Entry<String, ?> e : scores.entrySet()) {
                Object v = e.getValue();
                exact.put(e.getKey(), v instanceof float[] f ? widen(f) : (double[]) v);
            }
            scores = exact;
        }

        private static double[] widen(float[] f) {
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
    }

    /** @return a snapshot of the state */
    public State state() {
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (activity != null) {
            activity.averages().forEach((layer, a) -> {
                scores.put(layer, a.values());
                shapes.put(layer, new long[] {a.nIn(), a.nOut()});
                counts.put(layer, a.batches());
            });
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
        if (units != null) {
            applyPendingRestore();
        }
    }

    private void applyPendingRestore() {
        if (pendingRestore == null) {
            return;
        }
        State s = pendingRestore;
        pendingRestore = null;
        Map<String, ActivityRecorder.Average> saved = new LinkedHashMap<>();
        s.scores().forEach((layer, v) -> saved.put(layer, new ActivityRecorder.Average(v, s.shapes().get(layer)[0],
                s.shapes().get(layer)[1], s.counts().get(layer))));
        activity.restore(saved, units.stream().map(LayerRewirer::source).toList());
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

    /** Builder of {@link RewiringListener}: the settings of {@link RewiringConfig.AbstractBuilder}. */
    public static final class Builder extends RewiringConfig.AbstractBuilder<Builder> {
        private Builder() {
        }

        /** @return the listener */
        public RewiringListener build() {
            return new RewiringListener(config());
        }
    }
}
