package org.g2gnet.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --groups auto}: the structure rule for the density given, or a clear refusal. */
class GroupsChoiceTest {

    private static TrainOptions with(String groups, Double density, Double share, Double pIntra) {
        TrainOptions.Builder b = TrainOptions.builder().density(density).intraShare(share);
        if (pIntra != null) {
            b.pIntra(pIntra);
        }
        GroupsChoice.apply(b, groups, density, share, pIntra);
        return b.build();
    }

    @Test
    void autoPicksTheRulesGroupsAndShareForTheDensity() {
        TrainOptions o = with("auto", 0.05, null, null);
        assertEquals(16, o.model().groups());
        assertEquals(0.9, o.model().intraShare());
        assertEquals(0.9 * 0.05 * 16, o.model().pIntra(), 1e-12);
        assertEquals(4, with("AUTO", 0.25, null, null).model().groups());
        // an explicit share stays
        TrainOptions s = with("auto", 0.1, 0.5, null);
        assertEquals(8, s.model().groups());
        assertEquals(0.5 * 0.1 * 8, s.model().pIntra(), 1e-12);
        // a number is a number
        assertEquals(32, with("32", 0.02, 0.75, null).model().groups());
    }

    @Test
    void autoWithoutADensityOrWithPIntraAndANonNumberAreRefusedByName() {
        String noDensity = assertThrows(IllegalArgumentException.class, () -> with("auto", null, null, null))
                .getMessage();
        assertTrue(noDensity.contains("--groups auto needs --density"), noDensity);
        String pIntra = assertThrows(IllegalArgumentException.class, () -> with("auto", 0.1, null, 1.0)).getMessage();
        assertTrue(pIntra.contains("drop --p-intra 1.0"), pIntra);
        String word = assertThrows(IllegalArgumentException.class, () -> with("many", 0.1, null, null)).getMessage();
        assertEquals("--groups must be a whole number or auto, got 'many'", word);
    }
}
