package org.g2gnet.parallel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.g2gnet.MaskIntegrity;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.rewiring.RewiringListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a G2G network with rewiring on several workers of one machine through DL4J's {@link ParallelWrapper}
 * (parameter averaging), without ever mixing different masks.
 *
 * <p>Why not a {@link RewiringListener} on the wrapper: the wrapper gives its listeners (and the model's) to every
 * worker, each worker would rewire its own copy of the masks differently, and averaging would turn them into masks
 * that are neither 0 nor 1 (the listener refuses that setup at its first call). Here training runs in rounds: a
 * round trains on the wrapper up to the next rewiring event of the listener's schedule (or the end of the data);
 * every worker starts the round from the same network, so every worker holds the same masks throughout and their
 * average is exact. Between rounds the rewiring decision is taken once, on the averaged network, with
 * {@link RewiringListener#rewireNow} on the last examples trained (up to {@value #SAMPLE}), which also resets the
 * updater state of every changed entry; the next round's workers copy the network, masks and updater state from
 * it. The network's own listeners go to every worker's copy (they must be thread-safe; DL4J's score and
 * performance listeners are). After every round the masks are checked ({@link MaskIntegrity}: every entry 0 or 1, every masked weight 0).</p>
 *
 * <p>Clocks: the rewiring schedule counts minibatches, as in local training ({@code everyIterations(1000)} means
 * every 1000 minibatches whatever the number of workers). The network's own iteration count, which DL4J's
 * learning-rate schedules read, advances once per averaged step of all workers (W minibatches): give a schedule
 * over iterations in those steps ({@link #steps}). With an averaging frequency f above 1, a round whose step count
 * is not a multiple of f ends with up to f - 1 steps of the other workers that are not averaged into the network
 * (the wrapper averages every f steps); the default f = 1 averages after every step.</p>
 *
 * <pre>{@code
 * ParallelRewiring pr = ParallelRewiring.builder(net).workers(2)
 *         .rewiring(RewiringListener.builder().everyIterations(1000).fraction(0.1).build()).build();
 * for (int e = 0; e < epochs; e++) {
 *     pr.fit(trainIterator, e);    // one pass over the iterator
 *     trainIterator.reset();
 * }
 * }</pre>
 */
public final class ParallelRewiring {
    /** Examples the network is scored on at a rewiring event (the last ones trained). */
    public static final int SAMPLE = 1024;

    private final MultiLayerNetwork net;
    private final int workers;
    private final int averagingFrequency;
    private final RewiringListener rewiring;
    private final List<TrainingListener> listeners;
    private final Deque<DataSet> recent = new ArrayDeque<>();
    private int recentExamples;
    private final ScoreMeter meter = new ScoreMeter();
    private int minibatches;

    private ParallelRewiring(Builder b) {
        this.net = b.net;
        this.workers = b.workers;
        this.averagingFrequency = b.averagingFrequency;
        this.rewiring = b.rewiring;
        this.listeners = List.copyOf(b.net.getListeners());
    }

    /**
     * @param net an initialised network (its G2G layers in masked or structured execution; no RewiringListener
     *            attached to it)
     * @return a builder
     */
    public static Builder builder(MultiLayerNetwork net) {
        return new Builder(net);
    }

    /**
     * The averaged steps of an epoch: a learning-rate schedule over the network's iterations needs its period in
     * these.
     *
     * @param minibatches minibatches of the epoch
     * @param workers     workers
     * @return ceil(minibatches / workers)
     */
    public static int steps(int minibatches, int workers) {
        return (minibatches + workers - 1) / workers;
    }

    /**
     * What one call of {@link #fit} did.
     *
     * @param minibatches minibatches trained
     * @param meanScore   mean training loss of those minibatches (the workers' scores less the regularisation
     *                    term)
     * @param rounds      rounds (wrapper runs) it took
     * @param events      rewiring events, one per G2G layer and event
     */
    public record Epoch(int minibatches, double meanScore, int rounds, List<RewiringEvent> events) {
    }

    /** @return minibatches trained so far (the rewiring schedule's clock) */
    public int minibatches() {
        return minibatches;
    }

    /** @return the rewiring listener driven between rounds, or null for static masks */
    public RewiringListener rewiring() {
        return rewiring;
    }

    /**
     * Trains on every remaining minibatch of {@code data} (one epoch when it was just reset).
     *
     * @param data  the training minibatches; read once, not reset
     * @param epoch the epoch, for the network's epoch count and the event records
     * @return what was trained
     * @throws IllegalStateException when a round ends with a non-finite score or with masks that are not intact
     */
    public Epoch fit(DataSetIterator data, int epoch) {
        Objects.requireNonNull(data, "data");
        List<RewiringEvent> events = new ArrayList<>();
        int start = minibatches;
        meter.reset();
        int rounds = 0;
        net.setEpochCount(epoch);
        while (data.hasNext()) {
            int length = roundLength();
            RoundView round = new RoundView(data, length);
            ParallelWrapper pw = new ParallelWrapper.Builder<>(net).workers(workers)
                    .averagingFrequency(averagingFrequency).averageUpdaters(true).prefetchBuffer(0)
                    .trainingMode(ParallelWrapper.TrainingMode.AVERAGING).build();
            List<TrainingListener> all = new ArrayList<>(listeners);
            all.add(meter);
            pw.setListeners(all);
            try {
                pw.fit(round);
            } finally {
                pw.shutdown();
                // the wrapper's builder takes the network's listeners away: give the user's back
                net.setListeners(listeners);
            }
            rounds++;
            if (round.taken == 0) {
                break;
            }
            minibatches += round.taken;
            Nd4j.getExecutioner().commit();
            if (!Double.isFinite(net.score())) {
                throw new IllegalStateException("ParallelRewiring: non-finite training score " + net.score()
                        + " after the round ending at minibatch " + minibatches + " (epoch " + epoch + ")");
            }
            MaskIntegrity.check(net, "the parallel round ending at minibatch " + minibatches);
            int last = minibatches - 1;
            if (rewiring != null && !rewiring.schedule().perEpoch() && rewiring.schedule().isEventIteration(last)) {
                events.addAll(rewiring.rewireNow(net, sample(), last, epoch));
                MaskIntegrity.check(net, "the rewiring event at minibatch " + last);
            }
        }
        if (rewiring != null && rewiring.schedule().perEpoch() && minibatches > start
                && rewiring.schedule().isEventEpoch(epoch + 1, minibatches)) {
            events.addAll(rewiring.rewireNow(net, sample(), minibatches - 1, epoch));
            MaskIntegrity.check(net, "the rewiring event after epoch " + (epoch + 1));
        }
        net.setEpochCount(epoch + 1);
        return new Epoch(minibatches - start, meter.mean(), rounds, List.copyOf(events));
    }

    /** Minibatches of the next round: up to and including the next event of the schedule, else unbounded. */
    private int roundLength() {
        if (rewiring == null || rewiring.schedule().perEpoch()) {
            return Integer.MAX_VALUE;
        }
        for (int k = 1; k <= 10_000_000; k++) {
            if (rewiring.schedule().isEventIteration(minibatches + k - 1)) {
                return k;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** The last minibatches trained, up to {@value #SAMPLE} examples, as one DataSet. */
    private DataSet sample() {
        return recent.size() == 1 ? recent.peekFirst() : DataSet.merge(new ArrayList<>(recent));
    }

    private void remember(DataSet d) {
        recent.addLast(d);
        recentExamples += d.numExamples();
        while (recentExamples - recent.peekFirst().numExamples() >= SAMPLE) {
            recentExamples -= recent.removeFirst().numExamples();
        }
    }

    /**
     * At most {@code limit} minibatches of the source, for one wrapper run; keeps the last ones seen as the rewiring
     * sample. Neither resettable nor asynchronous, so the wrapper reads it once, in order.
     */
    private final class RoundView implements DataSetIterator {
        private final DataSetIterator source;
        private final int limit;
        int taken;

        RoundView(DataSetIterator source, int limit) {
            this.source = source;
            this.limit = limit;
        }

        @Override
        public boolean hasNext() {
            return taken < limit && source.hasNext();
        }

        @Override
        public DataSet next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException("the round has no more minibatches");
            }
            DataSet d = source.next();
            taken++;
            remember(d);
            return d;
        }

        @Override
        public DataSet next(int num) {
            return next();
        }

        @Override
        public int inputColumns() {
            return source.inputColumns();
        }

        @Override
        public int totalOutcomes() {
            return source.totalOutcomes();
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("a round of ParallelRewiring is read once");
        }

        @Override
        public int batch() {
            return source.batch();
        }

        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("set the pre-processor on the source iterator");
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return source.getPreProcessor();
        }

        @Override
        public List<String> getLabels() {
            return source.getLabels();
        }
    }

    /**
     * Sums the workers' losses (their score less the regularisation term, as local training reports its loss);
     * called from every worker thread.
     */
    static final class ScoreMeter extends BaseTrainingListener {
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            double reg = model instanceof MultiLayerNetwork m ? m.calcRegularizationScore(true) : 0;
            sum.add(model.score() - reg);
            count.increment();
        }

        void reset() {
            sum.reset();
            count.reset();
        }

        double mean() {
            long n = count.sum();
            return n == 0 ? Double.NaN : sum.sum() / n;
        }
    }

    /** Builder of {@link ParallelRewiring}. */
    public static final class Builder {
        private final MultiLayerNetwork net;
        private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int averagingFrequency = 1;
        private RewiringListener rewiring;

        private Builder(MultiLayerNetwork net) {
            this.net = Objects.requireNonNull(net, "net");
        }

        /**
         * @param workers workers (threads, each with its own copy of the network), &gt;= 2 (default: the cores,
         *                at least 2)
         * @return this
         */
        public Builder workers(int workers) {
            if (workers < 2) {
                throw new IllegalArgumentException("ParallelRewiring: workers must be >= 2 (ParallelWrapper's minimum; "
                        + "train a single model with net.fit for one), got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * @param averagingFrequency averaged steps between parameter averagings, &gt;= 1 (default 1: after every step)
         * @return this
         */
        public Builder averagingFrequency(int averagingFrequency) {
            if (averagingFrequency < 1) {
                throw new IllegalArgumentException("ParallelRewiring: averagingFrequency must be >= 1, got "
                        + averagingFrequency);
            }
            this.averagingFrequency = averagingFrequency;
            return this;
        }

        /**
         * @param rewiring the rewiring to run between rounds (not attached to the network), or null for static masks
         * @return this
         */
        public Builder rewiring(RewiringListener rewiring) {
            this.rewiring = rewiring;
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalArgumentException when the network is not initialised or has a RewiringListener attached
         */
        public ParallelRewiring build() {
            if (net.getLayers() == null) {
                throw new IllegalArgumentException("ParallelRewiring: the network is not initialised; call init() first");
            }
            for (TrainingListener l : net.getListeners()) {
                if (l instanceof RewiringListener) {
                    throw new IllegalArgumentException("ParallelRewiring: the network has a RewiringListener attached; "
                            + "the wrapper would give it to every worker. Remove it and pass it to rewiring(...): "
                            + "ParallelRewiring calls it between rounds, on the averaged network");
                }
            }
            MaskIntegrity.check(net, "initialisation");
            return new ParallelRewiring(this);
        }
    }
}
