package org.g2gnet.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.MaskIntegrity;
import org.g2gnet.G2GTestBase;
import org.g2gnet.data.IdxFiles;
import org.g2gnet.cli.G2GCli;
import org.g2gnet.cli.train.Arch;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.ModelFactory;
import org.g2gnet.cli.train.SparkSettings;
import org.g2gnet.cli.train.TrainOptions;
import org.g2gnet.cli.train.TrainResult;
import org.g2gnet.cli.train.Trainer;
import org.g2gnet.layers.G2GConvolutionLayerImpl;
import org.g2gnet.arrays.HostArrays;
import org.g2gnet.rewiring.RewiringEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DL4J's Spark engine in local mode (two executor threads): training, rewiring on the driver, exact masks. */
@Tag("slow")
class SparkTrainerTest extends G2GTestBase {

    private static TrainOptions.Builder tiny(Path data) {
        return TrainOptions.builder().width(32).layers(2).groups(4).epochs(3).batch(32).dataDir(data).lr(3e-3)
                .dst(DstSpec.parse("magnitude:hebbian")).rewireEvery(5).progress(false).checkpointEvery(0);
    }

    private static JavaSparkContext localContext() {
        return new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("g2g-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @Test
    void rewiresOnTheDriverAndKeepsMasksExactEverywhere(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 600, 200, false);
        TrainOptions o = tiny(data).out(dir.resolve("spark")).build();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (JavaSparkContext sc = localContext()) {
            TrainResult r = SparkTrainer.run(sc, o, new SparkSettings(null, 2, 2),
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            String log = printed.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("spark: master local[2], 2 workers"), log);

            // rewiring happened on the driver, at the iterations the local schedule gives
            TrainResult local = Trainer.run(tiny(data).out(dir.resolve("local")).build(),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            List<Integer> sparkEvents = r.events().stream().filter(e -> e.layerIndex() == 0)
                    .map(RewiringEvent::iteration).toList();
            assertFalse(sparkEvents.isEmpty());
            assertEquals(local.events().stream().filter(e -> e.layerIndex() == 0).map(RewiringEvent::iteration).toList(),
                    sparkEvents);
            for (RewiringEvent e : r.events()) {
                assertTrue(e.pruned() > 0 && e.pruned() == e.grown(), e.summary());
            }
            // it learned: 10 classes, chance is 0.1
            assertTrue(r.finalAccuracy() > 0.3, "accuracy " + r.finalAccuracy());
            assertEquals(3, Files.readAllLines(o.output().out().resolve("metrics.csv")).size() - 1);

            // the saved network: density unchanged, masks 0/1, masked weights exactly 0, masks moved
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(o.output().out().resolve("model.zip").toFile());
            MaskIntegrity.check(net, "loading model.zip");
            MultiLayerNetwork fresh = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
            fresh.init();
            for (int l = 0; l < 2; l++) {
                INDArray m = net.getLayer(l).getParam("M");
                INDArray m0 = fresh.getLayer(l).getParam("M");
                assertEquals(m0.sumNumber().doubleValue(), m.sumNumber().doubleValue(), 0, "density of layer " + l);
                assertNotEquals(m0, m, "layer " + l + " was rewired");
            }

            // a fresh copy built on the executors from broadcast parameters holds the driver's masks bit for bit
            String json = net.getLayerWiseConfigurations().toJson();
            Broadcast<INDArray> params = sc.broadcast(net.params());
            List<float[]> remote = sc.parallelize(List.of(0, 1), 2).map(i -> {
                MultiLayerNetwork copy = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
                copy.init(params.value().dup(), false);
                return HostArrays.toFloats(copy.getLayer(1).getParam("M"));
            }).collect();
            float[] driver = HostArrays.toFloats(net.getLayer(1).getParam("M"));
            assertEquals(2, remote.size());
            for (float[] m : remote) {
                assertArrayEquals(driver, m);
            }
        }
    }

    @Test
    void maskIntegrityNamesTheLayerAndTheValue() {
        MultiLayerNetwork net = new MultiLayerNetwork(ModelFactory.build(
                TrainOptions.builder().width(16).layers(1).groups(2).build(), 20, 3, 10));
        net.init();
        MaskIntegrity.check(net, "init");
        net.getLayer(0).getParam("M").putScalar(3, 0.5);
        String m = assertThrows(IllegalStateException.class,
                () -> MaskIntegrity.check(net, "round 7")).getMessage();
        assertTrue(m.contains("layer '0'") || m.contains("layer 'layer0'"), m);
        assertTrue(m.contains("0.5") && m.contains("round 7"), m);
        net.getLayer(0).getParam("M").putScalar(3, 0);
        net.getLayer(0).getParam("W").putScalar(3, 0.25);
        m = assertThrows(IllegalStateException.class,
                () -> MaskIntegrity.check(net, "round 8")).getMessage();
        assertTrue(m.contains("masked weight is 0.25"), m);
    }

    @Test
    void maskIntegrityChecksEveryWeightOfAMaskedKernel() {
        MultiLayerNetwork net = new MultiLayerNetwork(ModelFactory.build(TrainOptions.builder()
                .arch(Arch.CNN).channels(List.of(8, 16)).groups(4).build(), new int[] {28, 28},
                10, 10));
        net.init();
        MaskIntegrity.check(net, "init");
        G2GConvolutionLayerImpl conv = null;
        for (Layer l : net.getLayers()) {
            if (l instanceof G2GConvolutionLayerImpl c) {
                conv = c;
            }
        }
        assertTrue(conv != null, "the CNN has a G2G convolution");
        float[] mask = HostArrays.toFloatsC(conv.mask());
        int masked = 0;
        while (mask[masked] != 0f) {
            masked++;
        }
        long nIn = conv.mask().size(1);
        // the last position (2, 2) of masked kernel (o, i): index ((o * nIn + i) * 3 + 2) * 3 + 2 of W in 'c' order
        conv.weights().putScalar(new long[] {masked / nIn, masked % nIn, 2, 2}, 0.25);
        G2GConvolutionLayerImpl c = conv;
        String m = assertThrows(IllegalStateException.class,
                () -> MaskIntegrity.check(net, "round 3")).getMessage();
        assertTrue(m.contains("masked kernel (o " + masked / nIn + ", i " + masked % nIn + ")")
                && m.contains("0.25") && m.contains("round 3") && m.contains(c.name()), m);
    }

    /** As the README runs it: {@code ./g2g train --engine spark --master local[2]}. */
    @Test
    void commandLine(@TempDir Path dir) throws Exception {
        Path data = IdxFiles.fashionMnistDir(dir, 200, 100, true);
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = G2GCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.getSubcommands().get("train").setErr(new PrintWriter(err, true));
        int rc = cl.execute("train", "--engine", "spark", "--master", "local[2]", "--width", "16", "--layers", "1",
                "--groups", "2", "--epochs", "1", "--batch", "32", "--data-dir", data.toString(), "--out",
                dir.resolve("run").toString(), "--no-progress");
        assertEquals(0, rc, err.toString());
        assertTrue(Files.exists(dir.resolve("run/model.zip")));
        rc = cl.execute("train", "--engine", "spark", "--resume", "--data-dir", data.toString(), "--out",
                dir.resolve("run").toString());
        assertEquals(2, rc);
        assertTrue(err.toString().contains("--resume is not supported with --engine spark"), err.toString());
    }
}
