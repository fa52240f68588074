package org.g2gnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.g2gnet.G2GTestBase;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GBlock;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.rewiring.RewiringEvent;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.ModelFactory;
import org.g2gnet.cli.train.ModelKind;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.TrainResult;
import org.g2gnet.cli.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code ./g2g train --execution block}: the G2G hidden layers as one G2GBlock. */
class BlockExecutionTest extends G2GTestBase {

    @Test
    void blockTrainsLikeTheStructuredStackWithTheSameConnections(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 400, 100, true);
        TrainOptions.Builder o = TrainCommandTest.tiny(data, null).width(32).groups(4).density(0.5);
        TrainResult block = Trainer.run(o.execution(Execution.BLOCK).build(), Logs.discard());
        TrainResult structured = Trainer.run(o.execution(Execution.STRUCTURED).build(), Logs.discard());
        assertTrue(block.finalAccuracy() > 0.5, "accuracy " + block.finalAccuracy());
        assertEquals(structured.sparsity().activeParams(), block.sparsity().activeParams());
        assertEquals(structured.sparsity().density(), block.sparsity().density(), 1e-12);
        // same initial parameters and the same function: only float summation order differs
        assertEquals(structured.epochs().get(0).testLoss(), block.epochs().get(0).testLoss(), 1e-3);
        MultiLayerConfiguration conf = ModelFactory.build(o.execution(Execution.BLOCK).build(), 784, 10, 100);
        G2GBlock b = assertInstanceOf(G2GBlock.class, conf.getConf(0).getLayer());
        assertEquals(2, b.getDepth());
        assertEquals(2, conf.getConfs().size(), "one block and the output layer");
    }

    /** --dst rewires the block's inner layers: the same events as the structured stack's, layer by layer. */
    @Test
    void blockWithDstRewiresEveryInnerLayer(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 400, 100, true);
        TrainOptions.Builder o = TrainCommandTest.tiny(data, null).width(32).groups(4).density(0.5)
                .dst(DstSpec.parse("hebbian:hebbian")).rewireEvery(5);
        TrainResult block = Trainer.run(o.execution(Execution.BLOCK).build(), Logs.discard());
        TrainResult structured = Trainer.run(o.execution(Execution.STRUCTURED).build(), Logs.discard());
        assertTrue(block.finalAccuracy() > 0.5, "accuracy " + block.finalAccuracy());
        assertTrue(block.events().size() >= 4, "events " + block.events().size());
        assertEquals(structured.events().size(), block.events().size());
        for (int e = 0; e < block.events().size(); e++) {
            RewiringEvent b = block.events().get(e);
            RewiringEvent s = structured.events().get(e);
            assertEquals(s.iteration(), b.iteration(), b.summary());
            assertEquals(s.pruned(), b.pruned(), b.summary());
            assertEquals(0, b.layerIndex(), "the block's index: " + b.summary());
            assertEquals(s.layer(), b.layer(), "inner layers carry the stack's names");
        }
        assertEquals(structured.sparsity().activeParams(), block.sparsity().activeParams(), "density kept");
    }

    @Test
    void blockExecutionRejectsWhatItCannotDo() {
        String m = assertThrows(IllegalArgumentException.class, () -> TrainOptions.builder()
                .execution(Execution.BLOCK).dst(DstSpec.parse("magnitude:gradient")).build()).getMessage();
        assertTrue(m.contains("--dst magnitude:gradient is not available with --execution block")
                && m.contains("--execution structured"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainOptions.builder().execution(Execution.BLOCK)
                .pIntra(0.9).build()).getMessage();
        assertTrue(m.contains("--execution block needs --p-intra 1"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainOptions.builder().model(ModelKind.DENSE)
                .execution(Execution.BLOCK).build()).getMessage();
        assertTrue(m.contains("--execution block applies to --model g2g only"), m);
        StringWriter err = new StringWriter();
        CommandLine cl = G2GCli.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().get("train").setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("train", "--execution", "blocked"));
        assertTrue(err.toString().contains("masked, structured or block"), err.toString());
    }
}
