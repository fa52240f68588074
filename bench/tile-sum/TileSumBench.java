package org.g2gnet.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.conf.Execution;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.topology.TileLayout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two ways of the backward tile sum ({@link TiledIndex#addTiles}) on one structured layer, batch 256: slot chunks
 * added in place one by one (the structured layer's loop before 2026-12-06) and rounds of distinct tiles (gather +
 * scatter-add, the block's), interleaved with alternating order, 30 rounds of 5 calls after 5 of warm-up; the two
 * results are checked equal. Prints one CSV line: width,groups,density,tile,slots,rounds,in_place_ms,rounds_ms (medians).
 * Run from the repository root after a build (bench/tile-sum/run.sh).
 */
public final class TileSumBench {
    public static void main(String[] a) {
        int width = Integer.parseInt(a[0]);
        int groups = Integer.parseInt(a[1]);
        double density = Double.parseDouble(a[2]);
        int batch = 256;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).list()
                .layer(new G2GDenseLayer.Builder().nIn(width).nOut(width).groups(groups).density(density)
                        .execution(Execution.STRUCTURED).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().nIn(width).nOut(10).activation(Activation.SOFTMAX).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        G2GStructuredLayerImpl l = (G2GStructuredLayerImpl) net.getLayer(0);
        TileLayout t = l.layout();
        TiledIndex tiled = new TiledIndex(t, TileLayout.inverse(t.inputOrder()));
        tiled.refresh(l.index());
        INDArray dXg = Nd4j.rand(DataType.FLOAT, t.groups(), t.fanIn(), batch);
        INDArray r = Nd4j.createUninitialized(DataType.FLOAT, t.tiles(), (long) t.tile() * batch);
        double[][] ms = new double[2][30];
        for (int round = -5; round < 30; round++) {
            for (int way = 0; way < 2; way++) {
                boolean inPlace = ((round & 1) == 0) == (way == 0); // alternate which way goes first
                long t0 = System.nanoTime();
                for (int rep = 0; rep < 5; rep++) {
                    tiled.addTiles(dXg, r, inPlace);
                }
                if (round >= 0) {
                    ms[inPlace ? 0 : 1][round] = (System.nanoTime() - t0) / 5e6;
                }
            }
        }
        INDArray a1 = Nd4j.createUninitialized(DataType.FLOAT, r.shape());
        tiled.addTiles(dXg, a1, true);
        tiled.addTiles(dXg, r, false);
        if (!a1.equals(r)) {
            throw new IllegalStateException("the two ways differ");
        }
        java.util.Arrays.sort(ms[0]);
        java.util.Arrays.sort(ms[1]);
        System.out.printf(java.util.Locale.ROOT, "%d,%d,%s,%d,%d,%d,%.3f,%.3f%n", width, groups, density, t.tile(),
                t.slots(), tiled.scatterRounds(), ms[0][15], ms[1][15]);
    }
}
