package org.g2gnet.schedule;

import java.io.Serializable;

import org.g2gnet.util.EnumNames;

/**
 * When rewiring events happen and how large they are.
 *
 * <p>Events happen after every {@code period} optimizer steps (iteration schedules: after steps
 * period, 2 period, ...) or at the end of every {@code period} epochs. The fraction of active connections
 * replaced is constant (the paper) or decays with a half cosine from {@code fraction} to 0 over
 * {@code decayIterations} steps (RigL). No event happens at or after {@code stopIteration} steps.</p>
 *
 * @param period          events every this many iterations or epochs, &gt;= 1
 * @param perEpoch        true: period counts epochs; false: optimizer steps
 * @param fraction        fraction of the active connections replaced per event, in (0, 1]
 * @param decay           how the fraction changes over training
 * @param decayIterations steps over which the cosine decay runs (COSINE only, &gt;= 1)
 * @param stopIteration   no event once this many steps are done; {@code Integer.MAX_VALUE} for never
 */
public record RewiringSchedule(int period, boolean perEpoch, double fraction, Decay decay, int decayIterations,
                               int stopIteration) implements Serializable {

    /** How the rewired fraction changes over training. */
    public enum Decay {
        /** The same fraction at every event (the paper). */
        CONSTANT,
        /** fraction * (1 + cos(pi * t / T)) / 2, reaching 0 at T = decayIterations (RigL). */
        COSINE;

        /**
         * @param name constant or cosine
         * @return the decay
         */
        public static Decay parse(String name) {
            return EnumNames.parse(Decay.class, name, "rewiring schedule");
        }
    }

    /**
     * Validates the values.
     */
    public RewiringSchedule {
        if (period < 1) {
            throw new IllegalArgumentException("RewiringSchedule: period must be >= 1 " + (perEpoch ? "epoch" : "iteration")
                    + ", got " + period);
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("RewiringSchedule: fraction must be in (0, 1], got " + fraction);
        }
        if (decay == null) {
            throw new IllegalArgumentException("RewiringSchedule: decay must be set");
        }
        if (decay == Decay.COSINE && decayIterations < 1) {
            throw new IllegalArgumentException("RewiringSchedule: a cosine schedule needs the number of training "
                    + "iterations it decays over (>= 1), got " + decayIterations);
        }
        if (stopIteration < 0) {
            throw new IllegalArgumentException("RewiringSchedule: stop iteration must be >= 0, got " + stopIteration);
        }
    }

    /**
     * Whether an event follows the optimizer step with this (0-based) iteration index, for iteration schedules.
     *
     * @param iteration the step's index, as DL4J passes it to {@code iterationDone}
     * @return true when an event is due
     */
    public boolean isEventIteration(int iteration) {
        int done = iteration + 1;
        return !perEpoch && done % period == 0 && done < stopIteration && fractionAt(done) > 0;
    }

    /**
     * Whether an event follows the end of an epoch, for epoch schedules.
     *
     * @param epochsDone epochs finished, including this one
     * @param stepsDone  optimizer steps done so far (for the stop iteration and the decay)
     * @return true when an event is due
     */
    public boolean isEventEpoch(int epochsDone, int stepsDone) {
        return perEpoch && epochsDone % period == 0 && stepsDone < stopIteration && fractionAt(stepsDone) > 0;
    }

    /**
     * @param stepsDone optimizer steps done when the event runs
     * @return the fraction of active connections replaced by an event at that point
     */
    public double fractionAt(int stepsDone) {
        if (decay == Decay.CONSTANT) {
            return fraction;
        }
        double t = Math.min(1.0, stepsDone / (double) decayIterations);
        return fraction * 0.5 * (1 + Math.cos(Math.PI * t));
    }
}
