package org.g2gnet.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.g2gnet.G2GNetworks;
import org.g2gnet.G2GTestBase;
import org.g2gnet.MaskIntegrity;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.serve.CompiledNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class CompressorTest extends G2GTestBase {

    private static MultiLayerNetwork dense(int nIn, int width, int classes) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED)
                .updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().name("h0").nIn(nIn).nOut(width).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("h1").nIn(width).nOut(width).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(width).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void atDensityOneTheCompressedNetworkComputesWhatTheDenseOneDid() {
        MultiLayerNetwork dense = dense(20, 16, 3);
        DataSet d = randomData(64, 20, 3, SEED, DataType.FLOAT);
        dense.fit(d);
        INDArray x = randomData(10, 20, 3, SEED + 1, DataType.FLOAT).getFeatures();
        INDArray expected = dense.output(x);
        for (Compressor.Method m : List.of(Compressor.Method.LEARNED, Compressor.Method.MIXER,
                Compressor.Method.MAGNITUDE, Compressor.Method.COACTIVATION)) {
            Compressor.Result r = Compressor.builder().density(1.0).method(m).groups(4).sample(d.getFeatures()).build()
                    .compress(dense);
            assertTrue(r.network().getLayerWiseConfigurations().getConf(0).getLayer() instanceof G2GDenseLayer);
            assertEquals(2, r.layers().size());
            // LEARNED permutes hidden neurons: the same sums in another order, so equal to float rounding
            assertArrayEquals(expected.dup().reshape(-1).toFloatVector(), r.network().output(x).dup().reshape(-1).toFloatVector(), 1e-6f,
                    m.name());
            for (Compressor.LayerReport l : r.layers()) {
                assertEquals(1.0, l.massKept(), 1e-9, l.summary());
            }
        }
        assertEquals(dense.output(x), expected, "the dense network is not changed");
    }

    @Test
    void theCompressedNetworkSurvivesSerialisationCloneAndFineTuningWithMasksIntact() throws Exception {
        MultiLayerNetwork dense = dense(20, 16, 3);
        dense.fit(randomData(64, 20, 3, SEED, DataType.FLOAT));
        Compressor.Result r = Compressor.builder().density(0.3).groups(4).build().compress(dense);
        MultiLayerNetwork net = r.network();
        MaskIntegrity.check(net, "compression");
        assertEquals(0.3, G2GNetworks.sparsityReport(net).layers().get(1).density(), 0.01);
        INDArray x = randomData(10, 20, 3, SEED + 1, DataType.FLOAT).getFeatures();
        INDArray y = net.output(x);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(y, back.output(x), "ModelSerializer");
        assertEquals(y, net.clone().output(x), "clone()");
        MultiLayerNetwork fromJson = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(
                net.getLayerWiseConfigurations().toJson()));
        fromJson.init(net.params().dup(), false);
        assertEquals(y, fromJson.output(x), "JSON plus parameters");

        for (int i = 0; i < 5; i++) {
            net.fit(randomData(32, 20, 3, SEED + 10 + i, DataType.FLOAT));
        }
        MaskIntegrity.check(net, "fine-tuning");
        assertEquals(r.network().getLayer(0).getParam("M"), back.getLayer(0).getParam("M"), "the mask is fixed");
    }

    @Test
    void learnedGroupsFindAStructureThatTheMixerGroupingMisses() {
        // a trained-looking first layer: 4 hidden blocks, each fed by one quarter of the inputs, outputs shuffled
        MultiLayerNetwork dense = blockyDense(32);
        Compressor.Result learned = Compressor.builder().density(0.25).groups(4).method(Compressor.Method.LEARNED)
                .build().compress(dense);
        Compressor.Result mixer = Compressor.builder().density(0.25).groups(4).method(Compressor.Method.MIXER)
                .build().compress(dense);
        Compressor.Result magnitude = Compressor.builder().density(0.25).method(Compressor.Method.MAGNITUDE).build()
                .compress(dense);
        double l = learned.layers().get(0).massKept();
        assertTrue(l > 0.97, "the learned groups are the blocks (the rest is noise of 0.01): mass kept " + l);
        assertTrue(mixer.layers().get(0).massKept() < 0.5, "mixer: " + mixer.layers().get(0).summary());
        assertEquals(magnitude.layers().get(0).massKept(), l, 0.01, "the blocks are also the largest weights");
        assertEquals(1.0, learned.layers().get(0).intraShare(), 1e-9, "all kept connections inside groups");
    }

    @Test
    void coActivationGroupsFollowHowNeuronsFireTogetherOnTheSample() {
        // the blocky layer's output neurons fire with their own quarter of the (positive) inputs
        MultiLayerNetwork dense = blockyDense(32);
        INDArray sample = Nd4j.rand(DataType.FLOAT, 512, 32);
        Compressor.Result co = Compressor.builder().density(0.25).groups(4).method(Compressor.Method.COACTIVATION)
                .sample(sample).build().compress(dense);
        assertTrue(co.layers().get(0).massKept() > 0.97, "the groups are the blocks: " + co.layers().get(0).summary());
        assertEquals(1.0, co.layers().get(0).intraShare(), 1e-9);
        // no activity, no signal: the same weights grouped by index order miss the blocks
        Compressor.Result silent = Compressor.builder().density(0.25).groups(4).method(Compressor.Method.COACTIVATION)
                .sample(Nd4j.zeros(DataType.FLOAT, 512, 32)).build().compress(dense);
        assertTrue(silent.layers().get(0).massKept() < 0.5, "from the data, not the weights: "
                + silent.layers().get(0).summary());
        String e = assertThrows(IllegalArgumentException.class, () -> Compressor.builder()
                .method(Compressor.Method.COACTIVATION).build()).getMessage();
        assertTrue(e.contains("COACTIVATION") && e.contains("builder.sample(features)"), e);
    }

    @Test
    void blockCompressionKeepsTheTrainedWeightsOfItsTilesAndServesCompiled() throws Exception {
        MultiLayerNetwork dense = blockyDense(32);
        Compressor.Result block = Compressor.builder().density(0.25).groups(4).method(Compressor.Method.BLOCK)
                .build().compress(dense);
        Compressor.Result learned = Compressor.builder().density(0.25).groups(4).method(Compressor.Method.LEARNED)
                .build().compress(dense);
        MultiLayerNetwork net = block.network();
        assertTrue(net.getLayer(0) instanceof org.g2gnet.layers.G2GBlockImpl, "one block for both hidden layers");
        assertEquals(2, net.getnLayers());
        org.g2gnet.layers.G2GBlockImpl b = (org.g2gnet.layers.G2GBlockImpl) net.getLayer(0);
        INDArray eq = b.inner(0).equivalentWeights();
        INDArray lw = learned.network().getLayer(0).getParam("W");
        for (int i = 0; i < 32; i++) {
            for (int o = 0; o < 32; o++) {
                if (i / 8 == o / 8) {
                    assertEquals(lw.getFloat(i, o), eq.getFloat(i, o), 0f, "intra-group weight " + i + "," + o);
                }
            }
        }
        assertTrue(block.layers().get(0).massKept() > 0.97, block.layers().get(0).summary());
        INDArray x = randomData(12, 32, 3, SEED + 1, DataType.FLOAT).getFeatures();
        INDArray y = net.output(x);
        assertArrayEquals(y.dup().reshape(-1).toFloatVector(),
                org.g2gnet.serve.CompiledNetwork.of(net).output(x).dup().reshape(-1).toFloatVector(), 2e-6f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        assertEquals(y, ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()))
                .output(x), "ModelSerializer");
        net.fit(randomData(32, 32, 3, SEED + 3, DataType.FLOAT));
        MaskIntegrity.check(net, "fine-tuning the block");
    }

    @Test
    void gradualCompressionEndsExactlyOnThePlanAndKeepsAllMassOfThePrunedNetwork() {
        assertEquals(0.0, GradualPruning.share(0, 100), 0);
        assertEquals(1.0, GradualPruning.share(100, 100), 0);
        assertEquals(1.0, GradualPruning.share(150, 100), 0);
        assertTrue(GradualPruning.share(10, 100) > 0.27 && GradualPruning.share(50, 100) > 0.87
                && GradualPruning.share(50, 100) < GradualPruning.share(60, 100), "cubic: fast at first, then slower");
        MultiLayerNetwork dense = dense(20, 16, 3);
        dense.fit(randomData(64, 20, 3, SEED, DataType.FLOAT));
        INDArray before = dense.params().dup();
        org.nd4j.linalg.dataset.api.iterator.DataSetIterator train = new org.deeplearning4j.datasets.iterator.utilty
                .ListDataSetIterator<>(randomData(64, 20, 3, SEED + 5, DataType.FLOAT).asList(), 16);
        for (Compressor.Method m : List.of(Compressor.Method.LEARNED, Compressor.Method.MAGNITUDE)) {
            Compressor c = Compressor.builder().density(0.3).groups(4).method(m).updater(new Adam(1e-2)).build();
            Compressor.Result atOnce = c.compress(dense);
            Compressor.Result gradual = c.compressGradually(dense, train, 2, 4);
            for (int k = 0; k < 2; k++) {
                assertEquals(atOnce.network().getLayer(k).getParam("M"), gradual.network().getLayer(k).getParam("M"),
                        m + " layer " + k + ": the mask is the plan's");
                assertEquals(1.0, gradual.layers().get(k).massKept(), 1e-6, gradual.layers().get(k).summary());
                assertTrue(atOnce.layers().get(k).massKept() < 0.99, atOnce.layers().get(k).summary());
            }
            assertTrue(!atOnce.network().params().equals(gradual.network().params()), m + ": trained while pruning");
            MaskIntegrity.check(gradual.network(), "gradual " + m);
        }
        assertEquals(before, dense.params(), "the dense network is not changed");
        MultiLayerNetwork blocky = blockyDense(32);
        org.nd4j.linalg.dataset.api.iterator.DataSetIterator blockData = new org.deeplearning4j.datasets.iterator.utilty
                .ListDataSetIterator<>(randomData(64, 32, 3, SEED + 6, DataType.FLOAT).asList(), 16);
        Compressor c = Compressor.builder().density(0.25).groups(4).method(Compressor.Method.BLOCK)
                .updater(new Adam(1e-2)).build();
        Compressor.Result atOnce = c.compress(blocky);
        Compressor.Result gradual = c.compressGradually(blocky, blockData, 1, 4);
        for (int j = 0; j < 2; j++) {
            assertEquals(atOnce.network().getLayer(0).getParam("I" + j), gradual.network().getLayer(0).getParam("I" + j),
                    "block inner layer " + j + ": the tiles are the plan's");
            assertEquals(1.0, gradual.layers().get(j).massKept(), 1e-6, gradual.layers().get(j).summary());
        }
        assertThrows(IllegalArgumentException.class, () -> c.compressGradually(blocky, blockData, 0, 4));
    }

    /** A trained-looking network: its first layer 4 blocks of 8 (the inputs' quarters), outputs shuffled. */
    private static MultiLayerNetwork blockyDense(int n) {
        MultiLayerNetwork dense = dense(n, n, 3);
        Random rnd = new Random(5);
        int[] shuffle = new int[n];
        for (int i = 0; i < n; i++) {
            shuffle[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = shuffle[i];
            shuffle[i] = shuffle[j];
            shuffle[j] = t;
        }
        INDArray w = Nd4j.zeros(DataType.FLOAT, n, n);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < n; o++) {
                w.putScalar(i, shuffle[o], i / 8 == o / 8 ? 1.0 + rnd.nextDouble() : 0.01 * rnd.nextGaussian());
            }
        }
        dense.getLayer(0).setParam("W", w);
        return dense;
    }

    @Test
    void theReadmeSnippetsCompressAndServe(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        MultiLayerNetwork dense = dense(32, 32, 3);
        dense.fit(randomData(64, 32, 3, SEED, DataType.FLOAT));
        // --- from docs/USER-GUIDE.md, "Compress a trained model" ---
        Compressor.Result r = Compressor.builder().density(0.25)         // G: 8 at 0.25 (or .groups(G))
                .method(Compressor.Method.LEARNED).updater(new Adam(1e-4)).build().compress(dense);
        r.layers().forEach(l -> System.out.println(l.summary()));        // weight mass kept, intra share per layer
        MultiLayerNetwork g2g = r.network();                             // fine-tune with fit(...)
        // --- end of the snippet ---
        assertEquals(8, r.layers().get(0).groups());
        java.io.File modelFile = dir.resolve("model.zip").toFile();
        g2g.save(modelFile, false);
        INDArray batch = randomData(5, 32, 3, SEED + 2, DataType.FLOAT).getFeatures();
        // --- from docs/PERFORMANCE.md, "Serving a G2G model" ---
        CompiledNetwork served = CompiledNetwork.of(MultiLayerNetwork.load(modelFile, false));   // a saved model
        INDArray probabilities = served.output(batch);    // [B, 784] -> [B, 10]; thread-safe
        // --- end of the snippet ---
        assertArrayEquals(g2g.output(batch).dup().reshape(-1).toFloatVector(),
                probabilities.dup().reshape(-1).toFloatVector(), 2e-6f);
    }

    @Test
    void theUserGuidesGradualSnippetEndsOnABlock() {
        MultiLayerNetwork dense = dense(32, 32, 3);
        dense.fit(randomData(64, 32, 3, SEED, DataType.FLOAT));
        org.nd4j.linalg.dataset.api.iterator.DataSetIterator trainIterator = new org.deeplearning4j.datasets.iterator
                .utilty.ListDataSetIterator<>(randomData(64, 32, 3, SEED + 7, DataType.FLOAT).asList(), 16);
        int batchesPerEpoch = 4;
        // --- from docs/USER-GUIDE.md, "Compress a trained model" ---
        Compressor c = Compressor.builder().density(0.25).method(Compressor.Method.BLOCK).updater(new Adam(1e-3)).build();
        Compressor.Result r = c.compressGradually(dense, trainIterator, 2, batchesPerEpoch);   // 2 epochs of pruning
        // --- end of the snippet ---
        assertTrue(r.network().getLayer(0) instanceof org.g2gnet.layers.G2GBlockImpl);
        assertEquals(1.0, r.layers().get(0).massKept(), 1e-6, r.layers().get(0).summary());
    }

    @Test
    void badInputIsNamed() {
        MultiLayerNetwork dense = dense(8, 8, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compressor.builder().density(0));
        assertEquals("Compressor: density must be in (0, 1], got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Compressor.builder().layers("nope").build().compress(dense));
        assertTrue(e.getMessage().startsWith("Compressor: no layer named 'nope'"), e.getMessage());
        MultiLayerNetwork noHidden = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(2)
                        .activation(Activation.SOFTMAX).build()).build());
        noHidden.init();
        e = assertThrows(IllegalArgumentException.class, () -> Compressor.builder().build().compress(noHidden));
        assertTrue(e.getMessage().contains("no dense hidden layer"), e.getMessage());
    }
}
