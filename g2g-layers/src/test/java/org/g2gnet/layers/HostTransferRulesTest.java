package org.g2gnet.layers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.g2gnet.arrays.HostArrays;

/**
 * The layers and the rewiring code move data between Java arrays and ND4J arrays only through
 * {@link HostArrays}, which counts what it moves ({@link HostTransferTest} reads the count per iteration).
 * On a GPU each such move is a device/host transfer, and an element-wise read ({@code getDouble(i)}) in a
 * loop is one transfer per element; this rule (ArchUnit, on the compiled classes) keeps them out.
 * Scalar results of reductions ({@code sumNumber()}, {@code distance1}) are allowed: they are one value.
 */
class HostTransferRulesTest {

    /** INDArray methods that copy to the host in bulk or read/write single elements from the host. */
    private static final Set<String> INDARRAY_HOST_METHODS = Set.of("toFloatVector", "toDoubleVector",
            "toIntVector", "toLongVector", "toFloatMatrix", "toDoubleMatrix", "toIntMatrix", "toLongMatrix",
            "getDouble", "getFloat", "getInt", "getLong", "putScalar");
    /** DataBuffer methods that expose or copy host memory. */
    private static final Set<String> BUFFER_HOST_METHODS = Set.of("asBytes", "asDouble", "asFloat", "asInt",
            "asLong", "asNio", "asNioDouble", "asNioFloat", "asNioInt", "asNioLong", "getDouble", "getFloat",
            "getInt", "getLong", "getNumber", "put", "pointer", "addressPointer", "setData");
    /** Java array types whose contents an Nd4j factory method would copy to the device. */
    private static final Set<String> HOST_DATA_TYPES = Set.of("float[]", "double[]", "float[][]", "double[][]",
            "byte[]", "short[]", "boolean[]");

    private static final DescribedPredicate<JavaAccess<?>> HOST_TRANSFER =
            new DescribedPredicate<>("a copy between Java and ND4J arrays") {
                @Override
                public boolean test(JavaAccess<?> access) {
                    if (!(access instanceof JavaCodeUnitAccess<?> call)) {
                        return false;
                    }
                    JavaClass owner = call.getTargetOwner();
                    String name = call.getName();
                    if (owner.isAssignableTo(INDArray.class)) {
                        return INDARRAY_HOST_METHODS.contains(name);
                    }
                    if (owner.isAssignableTo(DataBuffer.class)) {
                        return BUFFER_HOST_METHODS.contains(name);
                    }
                    if (owner.isEquivalentTo(Nd4j.class)) {
                        if (name.equals("createFromArray")) {
                            return true;
                        }
                        var params = call.getTarget().getRawParameterTypes();
                        return name.equals("create") && !params.isEmpty()
                                && HOST_DATA_TYPES.contains(params.get(0).getSimpleName());
                    }
                    return false;
                }
            };

    static ArchRule onlyHostArraysCopies() {
        return noClasses().that().resideInAnyPackage("org.g2gnet.layers..", "org.g2gnet.rewiring..",
                        "org.g2gnet.activity..", "org.g2gnet.arrays..")
                .and().doNotHaveFullyQualifiedName(HostArrays.class.getName())
                .should().accessTargetWhere(HOST_TRANSFER)
                .because("on a GPU these are device/host transfers; HostArrays is the one counted way");
    }

    @Test
    void onlyHostArraysCopiesBetweenJavaAndNd4jArrays() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.g2gnet");
        onlyHostArraysCopies().check(main);
    }

    /** Code the rule must reject: one of each kind of host transfer. */
    @SuppressWarnings("unused")
    static final class Offender {
        float[] bulk(INDArray a) {
            return a.toFloatVector();
        }

        double element(INDArray a) {
            return a.getDouble(0);
        }

        INDArray upload(float[] v) {
            return Nd4j.create(v, new long[] {v.length}, 'c');
        }

        INDArray uploadInts(int[] v) {
            return Nd4j.createFromArray(v);
        }

        float[] buffer(INDArray a) {
            return a.data().asFloat();
        }

        INDArray allowed(INDArray a) {
            return Nd4j.create(a.dataType(), a.shape(), 'f').addi(a.sumNumber().doubleValue());
        }
    }

    @Test
    void theRuleRejectsEachKindOfTransferAndAllowsScalarsAndShapes() {
        EvaluationResult r = onlyHostArraysCopies().evaluate(new ClassFileImporter().importClasses(Offender.class));
        String report = String.join("\n", r.getFailureReport().getDetails());
        for (String method : new String[] {"bulk", "element", "upload", "uploadInts", "buffer"}) {
            assertTrue(report.contains("Offender." + method + "("), "violation in " + method + " reported:\n" + report);
        }
        assertTrue(!report.contains("Offender.allowed("), "allocation by shape and scalar reads allowed:\n" + report);
    }
}
