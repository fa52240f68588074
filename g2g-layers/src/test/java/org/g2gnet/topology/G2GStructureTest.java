package org.g2gnet.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The structure value checks each value once, naming the layer, the field, the range and the value. */
class G2GStructureTest {

    private static final String WHO = "G2GDenseLayer 'g2g1'";

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void theDefaultIsThePapersStructureAndValid() {
        G2GStructure d = G2GStructure.DEFAULT;
        assertSame(d, d.validate(WHO));
        assertEquals(8, d.groups());
        assertEquals(0.25625, d.nominalDensity(), 1e-12);
        assertEquals("groups=8, pIntra=1.0, pInter=0.15, grouping=INDEX, inputGrouping=INDEX, exactCount=true",
                d.describe());
        assertEquals("density=0.25", d.withDensity(0.25).describeInter());
        assertEquals(0.25, d.withDensity(0.25).nominalDensity(), 0);
    }

    @Test
    void validateNamesTheLayerTheFieldAndTheValue() {
        G2GStructure d = G2GStructure.DEFAULT;
        assertEquals(WHO + ": groups must be >= 1, got -3", message(() -> d.withGroups(-3).validate(WHO)));
        assertEquals(WHO + ": pIntra must be in [0, 1], got 1.5", message(() -> d.withPIntra(1.5).validate(WHO)));
        assertEquals(WHO + ": pInter must be in [0, 1], got NaN",
                message(() -> d.withPInter(Double.NaN).validate(WHO)));
        assertEquals(WHO + ": density must be in (0, 1], got 0.0", message(() -> d.withDensity(0).validate(WHO)));
        assertTrue(message(() -> d.withGrouping(null).validate(WHO)).startsWith(WHO + ": grouping must be set"));
        assertTrue(message(() -> d.withInputGrouping(null).validate(WHO)).startsWith(WHO + ": inputGrouping must"));
        // NaN density: pInter is used
        d.withDensity(Double.NaN).validate(WHO);
    }

    @Test
    void withersChangeOneValue() {
        G2GStructure s = G2GStructure.DEFAULT.withGroups(4).withPIntra(0.9).withPInter(0.3).withDensity(0.5)
                .withGrouping(Grouping.RANDOM).withInputGrouping(Grouping.INTERLEAVED).withMaskSeed(1L)
                .withGroupingSeed(2L).withInputGroupingSeed(3L).withExactCount(false);
        assertEquals(new G2GStructure(4, 0.9, 0.3, 0.5, Grouping.RANDOM, Grouping.INTERLEAVED, 1L, 2L, 3L, false), s);
    }

    @Test
    void theBuilderChecksEachValueAsItIsSetWithTheNameKnownThen() {
        String[] name = {"G2GBlock"};
        G2GStructure.Builder b = new G2GStructure.Builder(() -> name[0]);
        assertEquals("G2GBlock: groups must be >= 1, got 0", message(() -> b.groups(0)));
        name[0] = "G2GBlock 'b'";
        assertEquals("G2GBlock 'b': pInter must be in [0, 1], got 1.5", message(() -> b.pInter(1.5)));
        assertEquals("G2GBlock 'b': intraShare must be in (0, 1], got 0.0", message(() -> b.intraShare(0)));
        assertEquals(G2GStructure.DEFAULT, b.build(), "a refused value leaves the builder as it was");
    }

    @Test
    void theBuilderChecksCombinations() {
        assertEquals("x: set either pInter (0.2) or density (0.5), not both",
                message(() -> new G2GStructure.Builder(() -> "x").pInter(0.2).density(0.5).build()));
        assertTrue(message(() -> new G2GStructure.Builder(() -> "x").intraShare(0.5).build())
                .startsWith("x: intraShare (0.5) needs a target density"));
        assertTrue(message(() -> new G2GStructure.Builder(() -> "x").pIntra(1).intraShare(0.5).density(0.2).build())
                .startsWith("x: set either pIntra (1.0) or intraShare (0.5), not both"));
        G2GStructure s = new G2GStructure.Builder(() -> "x").groups(4).density(0.4).intraShare(0.5).build();
        assertEquals(0.8, s.pIntra(), 0);
        assertEquals(0.4, s.density(), 0);
    }

    @Test
    void fromRefusesAnInvalidStructureAndTakesPInterAsSetOnlyWithoutADensity() {
        G2GStructure.Builder b = new G2GStructure.Builder(() -> "G2GConvolutionLayer 'c'");
        assertEquals("G2GConvolutionLayer 'c': groups must be >= 1, got -3",
                message(() -> b.from(G2GStructure.DEFAULT.withGroups(-3))));
        // a configuration writes pInter beside its density: not "both set"
        G2GStructure written = G2GStructure.DEFAULT.withDensity(0.5).withPInter(0.2);
        assertEquals(written, b.from(written).build());
    }

    @Test
    void theStructureRuleGivesTheLargestPowerOfTwoAtMostOneOverTheDensity() {
        assertEquals(java.util.List.of(1, 2, 4, 8, 16, 32, 2, 4),
                java.util.stream.DoubleStream.of(1, 0.5, 0.25, 0.1, 0.05, 0.02, 0.3, 0.2)
                        .mapToObj(G2GStructure::autoGroups).toList());
        for (double d : new double[] {0.5, 0.25, 0.1, 0.05, 0.02, 0.3, 0.013}) {
            int g = G2GStructure.autoGroups(d);
            assertTrue(d * g <= 1 + 1e-9 && 2 * d * g > 1, "d G in (1/2, 1] at " + d + ": G " + g);
            assertTrue(G2GStructure.AUTO_INTRA_SHARE * d * g <= 1, "pIntra <= 1 at " + d);
        }
        assertTrue(message(() -> G2GStructure.autoGroups(0)).contains("density must be in (0, 1], got 0.0"));
    }
}
