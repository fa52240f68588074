package org.g2gnet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries of the library (each package-info says them in words), checked on the compiled classes.
 * A rule whose classes are missing fails too (ArchUnit's default), so none of these passes by being empty.
 */
class PackageRulesTest {
    private static JavaClasses library;

    @BeforeAll
    static void importLibrary() {
        library = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.g2gnet");
    }

    static ArchRule topologyIsPlainJava() {
        return noClasses().that().resideInAPackage("org.g2gnet.topology..")
                .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.nd4j..",
                        "org.g2gnet.conf..", "org.g2gnet.layers..", "org.g2gnet.rewiring..")
                .because("the mask mathematics is tested without DL4J and used by every other package");
    }

    static ArchRule utilDependsOnNothingOfTheLibrary() {
        return classes().that().resideInAPackage("org.g2gnet.util..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.g2gnet.util..")
                .because("every package may use the general helpers");
    }

    static ArchRule layersNeverUseRewiring() {
        return noClasses().that().resideInAPackage("org.g2gnet.layers..")
                .should().dependOnClassesThat().resideInAPackage("org.g2gnet.rewiring..")
                .because("the runtime layer works without dynamic sparse training; rewiring drives it from outside");
    }

    static ArchRule configurationNeverUsesRewiring() {
        return noClasses().that().resideInAPackage("org.g2gnet.conf..")
                .should().dependOnClassesThat().resideInAPackage("org.g2gnet.rewiring..")
                .because("a layer's configuration does not know how it is trained");
    }

    static ArchRule libraryNeverUsesTheApplications() {
        return noClasses().that().resideInAPackage("org.g2gnet..")
                .should().dependOnClassesThat().resideInAnyPackage("org.g2gnet.cli..", "org.g2gnet.benchmarks..", "org.g2gnet.examples..", "org.g2gnet.ui..",
                        "org.g2gnet.spark..", "org.g2gnet.parallel..")
                .because("the command line, the benchmarks and the Spark engine are built on the library, not in it");
    }

    static ArchRule arraysUseNothingElseOfTheLibrary() {
        return noClasses().that().resideInAPackage("org.g2gnet.arrays..")
                .should().dependOnClassesThat().resideInAnyPackage("org.g2gnet.layers..", "org.g2gnet.activity..",
                        "org.g2gnet.rewiring..", "org.g2gnet.conf..", "org.g2gnet.topology..",
                        "org.g2gnet.compress..", "org.g2gnet.serve..", "org.g2gnet.schedule..")
                .because("the workspace rules and the counted host copies serve the layers, the activity and "
                        + "rewiring alike");
    }

    static ArchRule activityUsesNeitherLayersNorRewiring() {
        return noClasses().that().resideInAPackage("org.g2gnet.activity..")
                .should().dependOnClassesThat().resideInAnyPackage("org.g2gnet.layers..", "org.g2gnet.rewiring..",
                        "org.g2gnet.conf..")
                .because("the layers implement ActivitySource and rewiring reads the recorder: below both");
    }

    @Test
    void arraysImportNothingElseOfTheLibrary() {
        arraysUseNothingElseOfTheLibrary().check(library);
    }

    @Test
    void activityImportsNeitherLayersNorRewiring() {
        activityUsesNeitherLayersNorRewiring().check(library);
    }

    @Test
    void topologyImportsNoDl4jNd4jOrOtherLayersOfTheLibrary() {
        topologyIsPlainJava().check(library);
    }

    @Test
    void utilImportsOnlyJava() {
        utilDependsOnNothingOfTheLibrary().check(library);
    }

    @Test
    void layersNeverImportRewiring() {
        layersNeverUseRewiring().check(library);
    }

    @Test
    void confNeverImportsRewiring() {
        configurationNeverUsesRewiring().check(library);
    }

    @Test
    void theLibraryNeverImportsTheApplication() {
        libraryNeverUsesTheApplications().check(library);
    }
}
