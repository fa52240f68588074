package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./g2g --backend cuda} (and {@code scripts/gpu-check.sh}) on a GPU that ND4J 1.0.0-M2.1's CUDA kernels do not cover stops before
 * building, with exit code 3 and a message naming the GPU's compute capability. {@code nvidia-smi} is a
 * stand-in script here (no GPU on the test machines). The other side of the check (a covered GPU goes on to
 * build with -Pcuda) is not run here: it would download the CUDA backend (about 600 MB).
 */
class LauncherGpuCheckTest {

    private static Process launch(Path fakeBin, String computeCapability, String... command) throws Exception {
        Path smi = fakeBin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\necho '" + computeCapability + "'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve(command[0]).toString()));
        cmd.addAll(List.of(command).subList(1, command.length));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
        pb.environment().put("OUT", fakeBin.resolve("out").toString());
        pb.environment().remove("G2G_CUDA_ANY_GPU");
        return pb.start();
    }

    private static void assertRefusedBeforeBuilding(Process p, String who) throws Exception {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains(who + ": this GPU has compute capability 9.0") && out.contains("3.7 to 8.6")
                && out.contains("--backend cpu"), out);
        assertFalse(out.contains("building") || out.contains("== 1/4"), "refused before any build: " + out);
    }

    @Test
    void hopperIsRefusedBeforeBuildingWithTheReason(@TempDir Path dir) throws Exception {
        assertRefusedBeforeBuilding(launch(dir, "9.0", "g2g", "--backend", "cuda", "train", "--help"), "g2g");
    }

    @Test
    void theGpuCheckScriptRefusesHopperTheSameWay(@TempDir Path dir) throws Exception {
        assertRefusedBeforeBuilding(launch(dir, "9.0", "scripts/gpu-check.sh"), "gpu-check");
    }
}
