package org.g2gnet.cli.train;

/**
 * What a run prints while it trains (DL4J's training UI is {@link ViewOptions}).
 *
 * @param progress show a progress bar
 * @param logEvery a line every N iterations (0: none; -1: every 50 when the output is not a terminal)
 */
public record DisplayOptions(boolean progress, int logEvery) {

    /**
     * Checks every value, naming the option.
     *
     * @throws IllegalArgumentException on a bad value
     */
    void validate() {
        if (logEvery < -1) {
            throw new IllegalArgumentException("--log-every must be >= 0 (0 = never), got " + logEvery);
        }
    }

    /**
     * @return iterations between log lines: --log-every, or when not given 50 if the output is not a terminal
     *         (no progress bar there) and none on a terminal; 0 for none
     */
    public int effectiveLogEvery() {
        return logEvery >= 0 ? logEvery : System.console() == null ? 50 : 0;
    }
}
