import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.javacpp.FloatPointer;
int M = 32, K = 1024, N = 1024;
var a = Nd4j.rand(DataType.FLOAT, M, K); var b = Nd4j.rand(DataType.FLOAT, K, N); var c = Nd4j.create(DataType.FLOAT, M, N);
FloatPointer pa = new FloatPointer(a.data().asFloat()); FloatPointer pb = new FloatPointer(b.data().asFloat()); FloatPointer pc = new FloatPointer(M * N);
for (int i = 0; i < 300; i++) { Nd4j.gemm(a, b, c, false, false, 1.0, 0.0); openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, M, N, K, 1f, pa, K, pb, N, 0f, pc, N); }
double[] r = new double[2];
for (int round = 0; round < 5; round++) {
  long t0 = System.nanoTime(); for (int i = 0; i < 200; i++) Nd4j.gemm(a, b, c, false, false, 1.0, 0.0); Nd4j.getExecutioner().commit(); long t1 = System.nanoTime();
  for (int i = 0; i < 200; i++) openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, M, N, K, 1f, pa, K, pb, N, 0f, pc, N); long t2 = System.nanoTime();
  System.out.printf("round %d: Nd4j.gemm %.3f ms, cblas_sgemm %.3f ms (%.1f vs %.1f GFLOP/s), blas threads %d%n", round, (t1-t0)/200e6, (t2-t1)/200e6, 2.0*M*K*N/((t1-t0)/200.0), 2.0*M*K*N/((t2-t1)/200.0), openblas.blas_get_num_threads());
}
/exit
