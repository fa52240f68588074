package org.g2gnet.cli.train;

import java.util.Locale;

import org.g2gnet.util.EnumNames;

/** Which network a run trains. */
public enum ModelKind {
    /** DL4J DenseLayers of the given widths. */
    DENSE,
    /** Erdos-Renyi: a random mask at the G2G density, no groups (a G2G layer with G = 1). */
    ER,
    /** G2G layers. */
    G2G;

    /**
     * @param s dense, er or g2g
     * @return the kind
     */
    public static ModelKind parse(String s) {
        return EnumNames.parse(ModelKind.class, s, "model");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
