package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.g2gnet.G2GTestBase;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.TrainOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option values that do not fit together, refused before anything runs. */
class TrainOptionsValidationTest extends G2GTestBase {
    @TempDir
    Path dir;

    @Test
    void rewiringOptionsAreCheckedWithoutDst() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainOptions.builder().rewireFraction(1.5).build());
        assertTrue(e.getMessage().contains("--rewire-fraction must be in (0, 1], got 1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.builder().rewireEvery(0).build());
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.builder().prunePrefilter(0).build());
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.builder().rewireStopFraction(1.5).build());
        Object[] r = OutputDirectoryTest.execute(List.of("train", "--rewire-fraction", "1.5", "--dst", "none",
                "--data-dir", dir.resolve("none").toString()));
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--rewire-fraction"), (String) r[1]);
        // and still accepted with a sparse model and --dst
        TrainOptions.builder().dst(DstSpec.parse("hebbian:hebbian")).rewireFraction(0.5).build();
    }

    @Test
    void aNetworkWithoutConnectionsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainOptions.builder().pIntra(0).pInter(0).build());
        assertTrue(e.getMessage().contains("--p-intra 0.0 and --p-inter 0.0") && e.getMessage().contains("no connection"),
                e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> TrainOptions.builder().pIntra(0).density(1e-7).width(64).build());
        assertTrue(d.getMessage().contains("no connection"), d.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> TrainOptions.builder().density(0.05).build());
        assertTrue(r.getMessage().contains("--density 0.05 is not reachable with --p-intra 1.0 and --groups 8")
                && r.getMessage().contains("[0.125, 1.0]") && r.getMessage().contains("--intra-share S"), r.getMessage());
        // a dense model ignores the G2G options
        TrainOptions.builder().model(org.g2gnet.cli.train.ModelKind.DENSE).pIntra(0).pInter(0).build();
    }

    @Test
    void anIntraShareSetsPIntraAtTheDensity() {
        TrainOptions o = TrainOptions.builder().groups(32).density(0.05).intraShare(0.5).build();
        assertEquals(0.8, o.model().pIntra(), 1e-12);
        assertEquals(0.5, o.model().nominalIntraShare(), 1e-12);
        // the share stays with the options: a copy with another G gets the pIntra of that G
        assertEquals(0.4, o.toBuilder().groups(16).build().model().pIntra(), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainOptions.builder().groups(32).intraShare(0.5).build());
        assertTrue(e.getMessage().startsWith("--intra-share 0.5 needs --density"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainOptions.builder().groups(32).density(0.05).pIntra(0.5).intraShare(0.5).build());
        assertTrue(e.getMessage().contains("either --p-intra (0.5) or --intra-share (0.5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainOptions.builder().groups(32).density(0.05).intraShare(0.9).build());
        assertTrue(e.getMessage().contains("--intra-share: intra share 0.9 at density 0.05 with 32 groups"),
                e.getMessage());
        Object[] r = OutputDirectoryTest.execute(List.of("train", "--density", "0.05", "--groups", "32",
                "--intra-share", "0.9", "--data-dir", dir.resolve("none").toString()));
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("largest share is 1/(d G) = 0.625"), (String) r[1]);
    }

    @Test
    void unevenGroupsAreSaidInTheModelLine() {
        TrainOptions cnn = TrainOptions.builder().arch(org.g2gnet.cli.train.Arch.CNN).groups(5).build();
        assertTrue(org.g2gnet.cli.train.Trainer.describe(cnn).contains(
                "uneven groups (32, 64, 128 not divisible by 5: group sizes differ by one)"),
                org.g2gnet.cli.train.Trainer.describe(cnn));
        TrainOptions mlp = TrainOptions.builder().groups(32).build();
        assertTrue(org.g2gnet.cli.train.Trainer.describe(mlp).contains("uneven groups (784 not divisible by 32"),
                org.g2gnet.cli.train.Trainer.describe(mlp));
        assertFalse(org.g2gnet.cli.train.Trainer.describe(TrainOptions.defaults()).contains("uneven"));
    }
}
