package org.g2gnet.cli.train;

import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.HebbianScore;
import org.g2gnet.rewiring.MaskUpdater;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.schedule.RewiringSchedule;

/**
 * Named dynamic-sparse-training configurations. The rewiring period and fraction come from the protocol
 * (the compare preset); a preset sets the rule.
 */
public enum DstPreset {
    /**
     * The paper's rule as docs/DESIGN.md section 2 states it: prune the lowest signed Hebbian score, grow the highest,
     * constant fraction, regrown weights at 0, rewiring until the end of training.
     */
    PAPER(PruneCriterion.HEBBIAN, GrowthCriterion.HEBBIAN, HebbianScore.SIGNED, 1.0,
            RewiringSchedule.Decay.CONSTANT, 0),
    /** SET: prune the smallest weights, grow at random. */
    SET(PruneCriterion.MAGNITUDE, GrowthCriterion.RANDOM, HebbianScore.SIGNED, 1.0,
            RewiringSchedule.Decay.CONSTANT, 0),
    /**
     * The default of {@code g2g-mixer-dst}, chosen by the measured grid (README, "Making Hebbian rewiring
     * help"): prune the smallest weights, grow where pre- and post-synaptic activity is most correlated,
     * with a cosine-decayed fraction and no rewiring in the last quarter of training.
     */
    DEFAULT(PruneCriterion.MAGNITUDE, GrowthCriterion.HEBBIAN, HebbianScore.SIGNED, 1.0,
            RewiringSchedule.Decay.COSINE, 0.75);

    private final PruneCriterion prune;
    private final GrowthCriterion grow;
    private final HebbianScore score;
    private final double prefilter;
    private final RewiringSchedule.Decay decay;
    private final double stopFraction;

    DstPreset(PruneCriterion prune, GrowthCriterion grow, HebbianScore score, double prefilter,
              RewiringSchedule.Decay decay, double stopFraction) {
        this.prune = prune;
        this.grow = grow;
        this.score = score;
        this.prefilter = prefilter;
        this.decay = decay;
        this.stopFraction = stopFraction;
    }

    /**
     * @param b options to set the rule on (period and fraction are left as they are)
     * @return b
     */
    public TrainOptions.Builder applyTo(TrainOptions.Builder b) {
        return b.dst(new DstSpec(prune, grow)).hebbianScore(score).prunePrefilter(prefilter).rewireSchedule(decay)
                .rewireStopFraction(stopFraction).regrowth(MaskUpdater.Regrowth.ZERO).hebbianAverage(0, 1);
    }

    /** @return the prune criterion */
    public PruneCriterion prune() {
        return prune;
    }

    /** @return the growth criterion */
    public GrowthCriterion grow() {
        return grow;
    }

    /** @return the Hebbian score variant */
    public HebbianScore score() {
        return score;
    }

    /** @return the magnitude prefilter share */
    public double prefilter() {
        return prefilter;
    }

    /** @return the fraction schedule */
    public RewiringSchedule.Decay decay() {
        return decay;
    }

    /** @return the share of training after which rewiring stops (0: never early) */
    public double stopFraction() {
        return stopFraction;
    }
}
