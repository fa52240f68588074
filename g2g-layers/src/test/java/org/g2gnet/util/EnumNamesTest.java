package org.g2gnet.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.g2gnet.rewiring.HebbianScore;
import org.g2gnet.rewiring.MaskUpdater;
import org.g2gnet.rewiring.PruneCriterion;
import org.junit.jupiter.api.Test;

/** One way of reading the enum names users type, aliases included. */
class EnumNamesTest {

    @Test
    void namesAreCaseInsensitiveWithDashesOrUnderscores() {
        assertEquals(PruneCriterion.HEBBIAN_MAGNITUDE, PruneCriterion.parse(" Hebbian-Magnitude "));
        assertEquals(PruneCriterion.HEBBIAN_MAGNITUDE, PruneCriterion.parse("hebbian_magnitude"));
        assertEquals("magnitude, random, hebbian or hebbian-magnitude", EnumNames.allowed(org.g2gnet.rewiring.PruneCriteria.class));
        String m = assertThrows(IllegalArgumentException.class, () -> PruneCriterion.parse("weight")).getMessage();
        assertEquals("Unknown prune criterion 'weight': expected magnitude, random, hebbian or hebbian-magnitude", m);
    }

    @Test
    void aliasesAreAcceptedAndListed() {
        assertEquals(HebbianScore.SIGNED, HebbianScore.parse("paper"));
        assertEquals(HebbianScore.ABSOLUTE, HebbianScore.parse("ABS"));
        assertEquals(HebbianScore.CENTERED, HebbianScore.parse("centred"));
        assertEquals(HebbianScore.CENTERED, HebbianScore.parse("pearson"));
        assertEquals(HebbianScore.CENTERED, HebbianScore.parse("centered"));
        String m = assertThrows(IllegalArgumentException.class, () -> HebbianScore.parse("cosine")).getMessage();
        assertEquals("Unknown Hebbian score 'cosine': expected signed (paper), absolute (abs) or centered (centred, "
                + "pearson)", m);
        assertEquals(MaskUpdater.Regrowth.SMALL_RANDOM, MaskUpdater.Regrowth.parse("small"));
        assertEquals(MaskUpdater.Regrowth.SMALL_RANDOM, MaskUpdater.Regrowth.parse("small-random"));
        assertEquals(MaskUpdater.Regrowth.ZERO, MaskUpdater.Regrowth.parse("zero"));
        assertThrows(IllegalArgumentException.class, () -> HebbianScore.parse(null));
    }
}
