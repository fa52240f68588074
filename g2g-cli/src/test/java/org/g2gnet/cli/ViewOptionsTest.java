package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.g2gnet.cli.train.TrainingView;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The options of the training view (--ui, --stats-file), checked without the g2g-ui module on the classpath. */
class ViewOptionsTest {

    private static String error(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = G2GCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.getSubcommands().get("train").setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute(args), String.join(" ", args));
        return err.toString();
    }

    @Test
    void withoutTheModuleTheViewSaysWhatToDo() {
        for (String[] args : new String[][] {{"train", "--ui", "--epochs", "1"},
                {"train", "--stats-file", "x.dl4j", "--epochs", "1"}}) {
            String msg = error(args);
            assertTrue(msg.contains("--ui and --stats-file need the g2g-ui module"), msg);
        }
    }

    @Test
    void badValuesAndCombinationsNameTheOption() {
        assertTrue(error("train", "--ui-port", "9001").contains("--ui-port and --ui-linger need --ui"));
        assertTrue(error("train", "--ui-linger", "5").contains("--ui-port and --ui-linger need --ui"));
        assertTrue(error("train", "--ui", "--engine", "spark").contains("watch local training only"));
        assertTrue(error("train", "--stats-every", "1").contains("--stats-every needs --ui or --stats-file"));
        assertThrows(IllegalArgumentException.class, () -> new TrainingView.Settings(false, 9000, -1, null, 10));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainingView.Settings(true, 70000, -1, null, 10))
                .getMessage().contains("--ui-port must be in [0, 65535] (0 = any free port), got 70000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainingView.Settings(true, 0, -2, null, 10))
                .getMessage().contains("--ui-linger must be >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TrainingView.Settings(false, 0, -1, Path.of("s.dl4j"), 0)).getMessage()
                .contains("--stats-every must be >= 1, got 0"));
    }
}
