package org.g2gnet.cli.train;

import org.g2gnet.rewiring.HebbianScore;
import org.g2gnet.rewiring.MaskUpdater;
import org.g2gnet.rewiring.RewiringConfig;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.schedule.RewiringSchedule;
import org.g2gnet.util.Seeds;

/**
 * Dynamic sparse training of a run, in the command line's terms; {@link #config(long, int)} turns it into the
 * library's {@link RewiringConfig} once the run's length is known (the stop and the cosine decay are counted in
 * its iterations).
 *
 * @param dst            rewiring criteria, or null for static masks
 * @param every          rewiring period in iterations
 * @param fraction       fraction rewired per event
 * @param decay          constant or cosine
 * @param stop           no rewiring from this iteration on (0: never stop)
 * @param stopFraction   no rewiring after this fraction of training (0: never stop early)
 * @param hebbianScore   how Hebbian scores are computed (signed = the paper's)
 * @param prunePrefilter share of the smallest-|w| active connections that may be pruned (1: all)
 * @param regrowth       how regrown weights start
 * @param hebbianDecay   decay of the Hebbian moving average (0: last batch only)
 * @param hebbianWindow  batches before each event that enter the moving average
 */
public record RewiringOptions(DstSpec dst, int every, double fraction, RewiringSchedule.Decay decay, int stop,
                              double stopFraction, HebbianScore hebbianScore, double prunePrefilter,
                              MaskUpdater.Regrowth regrowth, double hebbianDecay, int hebbianWindow) {

    /**
     * Checks every value, with or without --dst (a bad value is a mistake either way), naming the option.
     *
     * @throws IllegalArgumentException on a bad value
     */
    void validate() {
        TrainOptions.positive("--rewire-every", every);
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("--rewire-fraction must be in (0, 1], got " + fraction);
        }
        if (stop < 0) {
            throw new IllegalArgumentException("--rewire-stop must be >= 0 (0 = never), got " + stop);
        }
        if (!(stopFraction >= 0 && stopFraction <= 1)) {
            throw new IllegalArgumentException("--rewire-stop as a share of training must be in [0, 1], got "
                    + stopFraction);
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
    }

    /**
     * The library's configuration of this rewiring for a run of the given length: never after the last optimizer
     * step (its new connections would never be trained), nor after --rewire-stop or --rewire-stop as a share; a
     * cosine decay reaches 0 at that stop.
     *
     * @param seed            the run's seed (rewiring draws from its own stream of it)
     * @param totalIterations optimizer steps of the whole run
     * @return the configuration, or null without --dst (static masks)
     */
    public RewiringConfig config(long seed, int totalIterations) {
        if (dst == null) {
            return null;
        }
        RewiringConfig.Builder b = RewiringConfig.builder().everyIterations(every).fraction(fraction)
                .prune(dst.prune()).grow(dst.grow()).seed(Seeds.mix(seed, "rewiring")).logEvents(false)
                .hebbianScore(hebbianScore).prunePrefilter(prunePrefilter).regrowth(regrowth);
        if (hebbianDecay > 0) {
            b.hebbianAverage(hebbianDecay, hebbianWindow);
        }
        int last = totalIterations;
        if (stop > 0) {
            last = Math.min(last, stop);
        }
        if (stopFraction > 0) {
            last = Math.min(last, (int) Math.round(stopFraction * totalIterations));
        }
        if (decay == RewiringSchedule.Decay.COSINE) {
            b.cosineDecay(Math.max(1, last));
        }
        return b.stopAt(last).build();
    }

    /**
     * @param seed            the run's seed
     * @param totalIterations optimizer steps of the whole run
     * @return the run's rewiring listener, or null without --dst
     */
    public RewiringListener listener(long seed, int totalIterations) {
        RewiringConfig config = config(seed, totalIterations);
        return config == null ? null : new RewiringListener(config);
    }

    /** @param sb the fingerprint being written: the rewiring's part (see {@link TrainOptions#fingerprint()}) */
    void fingerprint(StringBuilder sb) {
        if (dst == null) {
            return;
        }
        sb.append(" dst=").append(dst).append(" rewireEvery=").append(every)
                .append(" rewireFraction=").append(fraction).append(" rewireSchedule=").append(decay)
                .append(" rewireStop=").append(stop);
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
        if (stopFraction > 0) {
            sb.append(" rewireStopFraction=").append(stopFraction);
        }
    }
}
