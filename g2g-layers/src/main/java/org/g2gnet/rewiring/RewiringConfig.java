package org.g2gnet.rewiring;

import java.io.Serializable;
import java.util.Objects;

import org.g2gnet.schedule.RewiringSchedule;

/**
 * Everything that defines dynamic sparse training, as one value: when events happen and how large they are
 * ({@link RewiringSchedule}), what is pruned and grown, how regrown weights start, how the Hebbian score is
 * computed and averaged, and the seed. {@link RewiringListener} runs it; an application can hold it as one field
 * and build the listener from it ({@code new RewiringListener(config)}).
 *
 * @param schedule       when events happen and the fraction they replace
 * @param prune          what to prune
 * @param grow           what to grow
 * @param seed           seed of all rewiring randomness, or null for the network's seed
 * @param regrowth       how regrown weights start
 * @param hebbianDecay   weight of the old Hebbian average when a batch is added, in [0, 1); 0: the last batch only
 * @param hebbianWindow  batches before each event that enter the Hebbian average, &gt;= 1
 * @param hebbianScore   how the Hebbian score is computed
 * @param prunePrefilter share of the active connections with the smallest |w| that may be pruned, in (0, 1]
 * @param logEvents      log one line per event and layer through SLF4J
 */
public record RewiringConfig(RewiringSchedule schedule, PruneCriterion prune, GrowthCriterion grow, Long seed,
                             MaskUpdater.Regrowth regrowth, double hebbianDecay, int hebbianWindow,
                             HebbianScore hebbianScore, double prunePrefilter, boolean logEvents) implements Serializable {

    /** Validates the values. */
    public RewiringConfig {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(prune, "prune criterion");
        Objects.requireNonNull(grow, "growth criterion");
        Objects.requireNonNull(regrowth, "regrowth");
        Objects.requireNonNull(hebbianScore, "hebbianScore");
        if (!(hebbianDecay >= 0 && hebbianDecay < 1)) {
            throw new IllegalArgumentException("RewiringListener: Hebbian average decay must be in [0, 1) (0: the "
                    + "last batch only), got " + hebbianDecay);
        }
        if (hebbianWindow < 1) {
            throw new IllegalArgumentException("RewiringListener: Hebbian average window must be >= 1, got "
                    + hebbianWindow);
        }
        if (!(prunePrefilter > 0 && prunePrefilter <= 1)) {
            throw new IllegalArgumentException("RewiringListener: prune prefilter share must be in (0, 1], got "
                    + prunePrefilter);
        }
    }

    /** @return a builder with the paper's settings: every 1000 iterations, fraction 0.1, Hebbian/Hebbian */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param networkSeed the network's seed
     * @return the seed every event's randomness derives from
     */
    public long baseSeed(long networkSeed) {
        return seed != null ? seed : networkSeed;
    }

    /**
     * Whether the forward pass of this step feeds the Hebbian statistics: always for epoch schedules, else on the
     * step before an event (or the averaging window before it).
     *
     * @param iteration the step's index
     * @return true when the activations are recorded
     */
    public boolean recordsActivityAt(int iteration) {
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

    /**
     * @param iteration the step's index
     * @return whether the backward pass of this step must capture the dense gradient (gradient growth only)
     */
    public boolean capturesGradientAt(int iteration) {
        return grow.needsDenseGradient() && (schedule.perEpoch() || schedule.isEventIteration(iteration));
    }

    /**
     * @return whether the last batch's activations are kept unreduced until an event reads them (epoch schedules
     * without an average only learn afterwards which batch was the last)
     */
    public boolean defersHebbianReduction() {
        return schedule.perEpoch() && hebbianDecay == 0;
    }

    /** Builds a {@link RewiringConfig}. */
    public static final class Builder extends AbstractBuilder<Builder> {
        private Builder() {
        }

        /** @return the configuration */
        public RewiringConfig build() {
            return config();
        }
    }

    /**
     * The settings of a {@link RewiringConfig}, shared by its builder and {@link RewiringListener.Builder}; every
     * setter validates its value.
     *
     * @param <B> the concrete builder
     */
    public abstract static class AbstractBuilder<B extends AbstractBuilder<B>> {
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

        /** Starts from the paper's settings. */
        protected AbstractBuilder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** @return the configuration set so far */
        protected RewiringConfig config() {
            return new RewiringConfig(new RewiringSchedule(period, perEpoch, fraction, decay, decayIterations,
                    stopIteration), prune, grow, seed, regrowth, hebbianDecay, hebbianWindow, hebbianScore,
                    prunePrefilter, logEvents);
        }

        /**
         * @param n rewire after every n optimizer steps, &gt;= 1 (default 1000)
         * @return this
         */
        public B everyIterations(int n) {
            checkPeriod(n, "iterations");
            this.period = n;
            this.perEpoch = false;
            return self();
        }

        /**
         * @param n rewire at the end of every n epochs, &gt;= 1
         * @return this
         */
        public B everyEpochs(int n) {
            checkPeriod(n, "epochs");
            this.period = n;
            this.perEpoch = true;
            return self();
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
        public B fraction(double f) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("RewiringListener: fraction must be in (0, 1], got " + f);
            }
            this.fraction = f;
            return self();
        }

        /**
         * Decays the fraction with a half cosine to 0 over the given number of optimizer steps (RigL).
         *
         * @param totalIterations steps of the whole training, &gt;= 1
         * @return this
         */
        public B cosineDecay(int totalIterations) {
            if (totalIterations < 1) {
                throw new IllegalArgumentException("RewiringListener: cosine decay needs the total number of "
                        + "iterations (>= 1), got " + totalIterations);
            }
            this.decay = RewiringSchedule.Decay.COSINE;
            this.decayIterations = totalIterations;
            return self();
        }

        /**
         * @param iteration no event once this many optimizer steps are done, &gt;= 0
         * @return this
         */
        public B stopAt(int iteration) {
            if (iteration < 0) {
                throw new IllegalArgumentException("RewiringListener: stop iteration must be >= 0, got " + iteration);
            }
            this.stopIteration = iteration;
            return self();
        }

        /**
         * @param c what to prune (default HEBBIAN)
         * @return this
         */
        public B prune(PruneCriterion c) {
            this.prune = Objects.requireNonNull(c, "prune criterion");
            return self();
        }

        /**
         * @param c what to grow (default HEBBIAN)
         * @return this
         */
        public B grow(GrowthCriterion c) {
            this.grow = Objects.requireNonNull(c, "growth criterion");
            return self();
        }

        /**
         * @param seed seed of all rewiring randomness (default: the network's seed)
         * @return this
         */
        public B seed(long seed) {
            this.seed = seed;
            return self();
        }

        /**
         * @param r how regrown weights start (default ZERO; SMALL_RANDOM needs masked execution)
         * @return this
         */
        public B regrowth(MaskUpdater.Regrowth r) {
            this.regrowth = Objects.requireNonNull(r, "regrowth");
            return self();
        }

        /**
         * Averages the Hebbian score over the last {@code window} mini-batches before each event with an
         * exponential moving average of the given decay, instead of using the last batch only.
         *
         * @param decay  weight of the old average, in (0, 1)
         * @param window batches before each event that enter the average, &gt;= 1
         * @return this
         */
        public B hebbianAverage(double decay, int window) {
            if (!(decay > 0 && decay < 1)) {
                throw new IllegalArgumentException("RewiringListener: Hebbian average decay must be in (0, 1), got "
                        + decay);
            }
            if (window < 1) {
                throw new IllegalArgumentException("RewiringListener: Hebbian average window must be >= 1, got "
                        + window);
            }
            this.hebbianDecay = decay;
            this.hebbianWindow = window;
            return self();
        }

        /**
         * @param score how the Hebbian score is computed (default SIGNED, the paper's)
         * @return this
         */
        public B hebbianScore(HebbianScore score) {
            this.hebbianScore = Objects.requireNonNull(score, "hebbianScore");
            return self();
        }

        /**
         * Restricts pruning to the given share of the active connections with the smallest |w|; the prune
         * criterion then chooses among those (for MAGNITUDE pruning it changes nothing). Needs masked execution.
         *
         * @param share in (0, 1] (default 1: every active connection is a candidate)
         * @return this
         */
        public B prunePrefilter(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("RewiringListener: prune prefilter share must be in (0, 1], got "
                        + share);
            }
            this.prunePrefilter = share;
            return self();
        }

        /**
         * @param log log one line per event and layer through SLF4J (default true)
         * @return this
         */
        public B logEvents(boolean log) {
            this.logEvents = log;
            return self();
        }
    }
}
