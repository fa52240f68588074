package org.g2gnet.conf;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.deeplearning4j.nn.api.layers.LayerConstraint;

/**
 * The parameters that hold a G2G layer's structure rather than weights: the mask {@code M} (dense and convolution
 * layers) and the tile index {@code I} (structured layers; {@code I<k>} in a block). They take no updater, no
 * regularisation and no constraint, in every layer kind: this is the one place that says which they are. A new layer
 * kind (docs/EXTENDING.md) calls it from its configuration as the built-in ones do.
 */
public final class StructureParams {

    private StructureParams() {
    }

    /**
     * @param key a parameter key
     * @return whether it is a mask or an index
     */
    public static boolean isStructure(String key) {
        return G2GParamInitializer.MASK_KEY.equals(key) || G2GBlockParamInitializer.isIndexParam(key);
    }

    /**
     * Removes the structure parameters from every constraint, so that a constraint on "all parameters" (MaxNorm,
     * ...) never rescales a 0/1 mask or a tile index.
     *
     * @param constraints a layer's constraints, or null
     * @return the same list, its constraints changed in place
     */
    public static List<LayerConstraint> excludeFromConstraints(List<LayerConstraint> constraints) {
        if (constraints != null) {
            for (LayerConstraint c : constraints) {
                if (c.getParams() != null && c.getParams().stream().anyMatch(StructureParams::isStructure)) {
                    Set<String> keep = new HashSet<>(c.getParams());
                    keep.removeIf(StructureParams::isStructure);
                    c.setParams(keep);
                }
            }
        }
        return constraints;
    }
}
