package org.g2gnet.schedule;

import java.util.Objects;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cosine annealing (Loshchilov and Hutter; PyTorch's {@code CosineAnnealingLR}):
 * {@code v(t) = min + (initial - min) (1 + cos(pi t / T)) / 2} for t &lt; T, and min afterwards.
 * ND4J 1.0.0-M2.1 ships no cosine schedule, hence this class. JSON round-trips through DL4J's mappers.
 */
public final class CosineSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double minValue;
    private final int period;

    /**
     * @param scheduleType ITERATION or EPOCH: what t counts
     * @param initialValue value at t = 0
     * @param minValue     value at t &gt;= period
     * @param period       T, &gt;= 1
     */
    public CosineSchedule(@JsonProperty("scheduleType") ScheduleType scheduleType,
                          @JsonProperty("initialValue") double initialValue,
                          @JsonProperty("minValue") double minValue,
                          @JsonProperty("period") int period) {
        if (scheduleType == null) {
            throw new IllegalArgumentException("CosineSchedule: scheduleType must be set");
        }
        if (period < 1) {
            throw new IllegalArgumentException("CosineSchedule: period must be >= 1, got " + period);
        }
        if (!(initialValue >= 0) || !(minValue >= 0)) {
            throw new IllegalArgumentException("CosineSchedule: values must be >= 0, got initial " + initialValue
                    + " and min " + minValue);
        }
        this.scheduleType = scheduleType;
        this.initialValue = initialValue;
        this.minValue = minValue;
        this.period = period;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        int t = scheduleType == ScheduleType.ITERATION ? iteration : epoch;
        if (t >= period) {
            return minValue;
        }
        return minValue + (initialValue - minValue) * 0.5 * (1 + Math.cos(Math.PI * t / period));
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(scheduleType, initialValue, minValue, period);
    }

    /** @return ITERATION or EPOCH */
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    /** @return the value at t = 0 */
    public double getInitialValue() {
        return initialValue;
    }

    /** @return the final value */
    public double getMinValue() {
        return minValue;
    }

    /** @return the period T */
    public int getPeriod() {
        return period;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineSchedule c && c.scheduleType == scheduleType
                && Double.compare(c.initialValue, initialValue) == 0 && Double.compare(c.minValue, minValue) == 0
                && c.period == period;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, initialValue, minValue, period);
    }
}
