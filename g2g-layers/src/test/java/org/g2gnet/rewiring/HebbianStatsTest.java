package org.g2gnet.rewiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.g2gnet.G2GTestBase;
import org.g2gnet.activity.HebbianStats;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HebbianStatsTest extends G2GTestBase {

    /** Direct definition: cos(x_i, a_o) over the batch, eps added to each norm. */
    private static double[][] reference(double[][] x, double[][] a) {
        int b = x.length;
        int nIn = x[0].length;
        int nOut = a[0].length;
        double[][] c = new double[nIn][nOut];
        for (int i = 0; i < nIn; i++) {
            for (int o = 0; o < nOut; o++) {
                double dot = 0;
                double nx = 0;
                double na = 0;
                for (int s = 0; s < b; s++) {
                    dot += x[s][i] * a[s][o];
                    nx += x[s][i] * x[s][i];
                    na += a[s][o] * a[s][o];
                }
                c[i][o] = dot / ((Math.sqrt(nx) + HebbianStats.EPS) * (Math.sqrt(na) + HebbianStats.EPS));
            }
        }
        return c;
    }

    @Test
    void scoreEqualsDirectCosineIncludingSilentNeurons() {
        useDouble();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 5).subi(0.5);
        INDArray a = Nd4j.rand(DataType.DOUBLE, 6, 4).subi(0.3);
        a.getColumn(2).assign(0); // a silent neuron: score 0, not NaN
        HebbianStats s = new HebbianStats();
        s.accumulate(x, a, 0);
        double[][] ref = reference(x.toDoubleMatrix(), a.toDoubleMatrix());
        INDArray score = s.score();
        assertEquals(5, score.rows());
        for (int i = 0; i < 5; i++) {
            for (int o = 0; o < 4; o++) {
                assertEquals(ref[i][o], score.getDouble(i, o), 1e-12, "entry " + i + "," + o);
            }
        }
        assertEquals(0.0, score.getColumn(2).amaxNumber().doubleValue(), 0);
        // inputs are not modified
        assertEquals(ref[0][0], reference(x.toDoubleMatrix(), a.toDoubleMatrix())[0][0], 0);
    }

    @Test
    void movingAverageOverBatchesAndSmallerLastBatch() {
        useDouble();
        INDArray x1 = Nd4j.rand(DataType.DOUBLE, 8, 3);
        INDArray a1 = Nd4j.rand(DataType.DOUBLE, 8, 2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 5, 3);
        INDArray a2 = Nd4j.rand(DataType.DOUBLE, 5, 2);
        HebbianStats s = new HebbianStats();
        s.accumulate(x1, a1, 0.9);
        s.accumulate(x2, a2, 0.9);
        double[][] r1 = reference(x1.toDoubleMatrix(), a1.toDoubleMatrix());
        double[][] r2 = reference(x2.toDoubleMatrix(), a2.toDoubleMatrix());
        assertEquals(0.9 * r1[1][1] + 0.1 * r2[1][1], s.score().getDouble(1, 1), 1e-12);
        assertEquals(2, s.updates());
        s.reset();
        s.accumulate(x2, a2, 0.9);
        assertEquals(r2[2][0], s.score().getDouble(2, 0), 1e-12);
    }
}
