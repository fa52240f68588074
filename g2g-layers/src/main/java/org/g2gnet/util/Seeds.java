package org.g2gnet.util;

/**
 * Seed derivation: one user seed is split into independent seeds per layer, per side and per event
 * (the "rng.split" idea of Tribuo), so that every random choice is reproducible from the user's seed
 * and does not depend on how many random numbers an earlier step happened to draw.
 */
public final class Seeds {
    private Seeds() {
    }

    /**
     * Mixes two values into a new 64-bit seed with the SplitMix64 finaliser.
     *
     * @param seed  the parent seed
     * @param salt  what distinguishes the child (a layer index, an event number, ...)
     * @return a well-mixed child seed
     */
    public static long mix(long seed, long salt) {
        long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Mixes a seed with a string (e.g. a layer name), using the string's specified, JVM-independent hash.
     *
     * @param seed the parent seed
     * @param salt a name
     * @return a child seed
     */
    public static long mix(long seed, String salt) {
        return mix(seed, salt == null ? 0 : salt.hashCode());
    }
}
