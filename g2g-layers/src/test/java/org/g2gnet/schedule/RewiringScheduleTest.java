package org.g2gnet.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RewiringScheduleTest {

    private static List<Integer> events(RewiringSchedule s, int iterations) {
        List<Integer> out = new ArrayList<>();
        for (int it = 0; it < iterations; it++) {
            if (s.isEventIteration(it)) {
                out.add(it);
            }
        }
        return out;
    }

    @Test
    void everyNIterationsRunsAfterStepsN2N3N() {
        RewiringSchedule s = new RewiringSchedule(1000, false, 0.1, RewiringSchedule.Decay.CONSTANT, 0,
                Integer.MAX_VALUE);
        assertEquals(List.of(999, 1999, 2999, 3999), events(s, 4700));
        assertEquals(0.1, s.fractionAt(3000), 0);
    }

    @Test
    void stopIterationEndsEvents() {
        RewiringSchedule s = new RewiringSchedule(50, false, 0.1, RewiringSchedule.Decay.CONSTANT, 0, 151);
        assertEquals(List.of(49, 99, 149), events(s, 400));
        RewiringSchedule s2 = new RewiringSchedule(50, false, 0.1, RewiringSchedule.Decay.CONSTANT, 0, 150);
        assertEquals(List.of(49, 99), events(s2, 400));
    }

    @Test
    void cosineDecayHalvesAtTheMiddleAndEndsAtZero() {
        RewiringSchedule s = new RewiringSchedule(100, false, 0.2, RewiringSchedule.Decay.COSINE, 1000,
                Integer.MAX_VALUE);
        assertEquals(0.2, s.fractionAt(0), 1e-12);
        assertEquals(0.1, s.fractionAt(500), 1e-12);
        assertEquals(0.0, s.fractionAt(1000), 1e-12);
        // no event once the fraction is zero
        assertEquals(List.of(99, 199, 299, 399, 499, 599, 699, 799, 899), events(s, 1500));
    }

    @Test
    void epochSchedule() {
        RewiringSchedule s = new RewiringSchedule(2, true, 0.1, RewiringSchedule.Decay.CONSTANT, 0, 1000);
        assertTrue(!s.isEventIteration(1));
        assertTrue(!s.isEventEpoch(1, 10));
        assertTrue(s.isEventEpoch(2, 20));
        assertTrue(!s.isEventEpoch(4, 1000));
    }

    @Test
    void badValues() {
        String m = assertThrows(IllegalArgumentException.class, () -> new RewiringSchedule(0, false, 0.1,
                RewiringSchedule.Decay.CONSTANT, 0, 10)).getMessage();
        assertTrue(m.contains("period must be >= 1 iteration, got 0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new RewiringSchedule(1, false, 1.5,
                RewiringSchedule.Decay.CONSTANT, 0, 10)).getMessage();
        assertTrue(m.contains("fraction must be in (0, 1], got 1.5"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new RewiringSchedule(1, false, 0.1,
                RewiringSchedule.Decay.COSINE, 0, 10)).getMessage();
        assertTrue(m.contains("cosine"), m);
    }
}
