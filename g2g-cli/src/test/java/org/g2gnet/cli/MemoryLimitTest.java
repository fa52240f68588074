package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A network too large for this machine is refused before anything is allocated. */
class MemoryLimitTest extends G2GTestBase {
    @TempDir
    Path dir;

    @Test
    void aNetworkTooLargeForThisMachineIsRefusedBeforeAllocatingWithTheFigures() throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 64, 20, true);
        for (String model : new String[] {"dense", "g2g"}) {
            // dense: 200,000^2 weights (160 GB in floats); g2g: 20 layers of 46,000^2 (17 GB of W and M each)
            List<String> size = model.equals("dense") ? List.of("--width", "200000", "--layers", "2")
                    : List.of("--width", "46000", "--layers", "20", "--groups", "8");
            List<String> args = new java.util.ArrayList<>(List.of("train", "--model", model, "--epochs", "1",
                    "--data-dir", data.toString(), "--out", dir.resolve(model).toString(), "--no-progress"));
            args.addAll(size);
            long t0 = System.nanoTime();
            Object[] r = OutputDirectoryTest.execute(args);
            String err = (String) r[1];
            assertEquals(2, r[0], err);
            assertTrue(err.contains("needs") && err.contains("GB") && err.contains("available"), err);
            assertTrue(err.contains("updater state"), err);
            assertFalse(err.contains("Allocation failed"), err);
            assertTrue((System.nanoTime() - t0) / 1e9 < 60, "refused before allocating");
        }
    }
}
