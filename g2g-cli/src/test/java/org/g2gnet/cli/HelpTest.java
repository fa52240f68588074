package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.g2gnet.G2GTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The help text, the first thing a new user reads. */
class HelpTest extends G2GTestBase {
    @TempDir
    Path dir;

    @Test
    void helpPrintsNoPicocliWarning() throws Exception {
        for (String command : new String[] {"train", "compare"}) {
            Path log = dir.resolve(command + "-help.log");
            Process p = ChildJvm.start(log, List.of(command, "--help"));
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), command + " --help did not end");
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("--out"), out);
            assertFalse(out.contains("WARN"), command + " --help: " + out);
            assertTrue(command.equals("compare") || out.contains("75%"), out);
        }
    }
}
