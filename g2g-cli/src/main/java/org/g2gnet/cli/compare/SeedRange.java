package org.g2gnet.cli.compare;

/**
 * The seeds of a comparison: {@code first..last}. {@code --seeds 3} means seeds 1 to 3; {@code --seeds 4-5} means
 * seeds 4 and 5 only, so that one comparison can be split over several machines (each trains its seeds into its own
 * {@code --out}) and the parts reported together with {@code ./g2g report}.
 *
 * @param first first seed, at least 1
 * @param last  last seed, at least first
 */
public record SeedRange(long first, long last) {

    /** Validates the bounds. */
    public SeedRange {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("--seeds must be N (seeds 1..N) or A-B with 1 <= A <= B, got "
                    + (first == 1 ? String.valueOf(last) : first + "-" + last));
        }
    }

    /**
     * @param n how many seeds
     * @return seeds 1..n
     */
    public static SeedRange upTo(long n) {
        return new SeedRange(1, n);
    }

    /**
     * @param text "N" (seeds 1..N) or "A-B" (seeds A..B)
     * @return the range
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static SeedRange parse(String text) {
        String t = text == null ? "" : text.strip();
        try {
            int dash = t.indexOf('-', 1);
            return dash < 0 ? upTo(Long.parseLong(t))
                    : new SeedRange(Long.parseLong(t.substring(0, dash).strip()),
                    Long.parseLong(t.substring(dash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seeds must be N (seeds 1..N) or A-B (seeds A..B), got '" + text
                    + "'", e);
        }
    }

    /** @return how many seeds */
    public int count() {
        return Math.toIntExact(last - first + 1);
    }

    /** @return "seeds 1-3", or "seed 2" */
    @Override
    public String toString() {
        return first == last ? "seed " + first : "seeds " + first + "-" + last;
    }
}
