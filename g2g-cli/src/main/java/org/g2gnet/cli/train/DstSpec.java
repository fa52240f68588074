package org.g2gnet.cli.train;

import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;

/**
 * The {@code --dst} option: "none" or "PRUNE:GROW".
 *
 * @param prune prune criterion
 * @param grow  growth criterion
 */
public record DstSpec(PruneCriterion prune, GrowthCriterion grow) {

    /**
     * @param s "none" (returns null) or e.g. "hebbian:hebbian", "magnitude:random"
     * @return the spec, or null for none
     */
    public static DstSpec parse(String s) {
        if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("none")) {
            return null;
        }
        String[] parts = s.trim().split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--dst must be 'none' or PRUNE:GROW (e.g. hebbian:hebbian), got '" + s + "'");
        }
        return new DstSpec(PruneCriterion.parse(parts[0]), GrowthCriterion.parse(parts[1]));
    }

    @Override
    public String toString() {
        return prune.name().toLowerCase() + ":" + grow.name().toLowerCase();
    }
}
