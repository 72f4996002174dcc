package dev.kcovexplorer.app.ui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The charter's layering rule: JavaFX only in the window. The model and CLI packages of app, and the
 * kcov and symbolizer libraries (imported from their jars/classes on this class path), must not touch it.
 * And no package cycles, so each package can be understood, tested and moved by what it depends on.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importOurClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.kcovexplorer");
    }

    /** Other classes run next in this test JVM: left in a static field, the imported classes (70 MB) stayed. */
    @AfterAll
    static void letGoOfTheClasses() {
        classes = null;
    }

    @Test
    void modelLiveCollectionLaunchAndCliDoNotDependOnJavaFx() {
        noClasses().that().resideInAnyPackage("dev.kcovexplorer.app.model..", "dev.kcovexplorer.app.live..",
                        "dev.kcovexplorer.app.launch..", "dev.kcovexplorer.app.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(classes);
    }

    @Test
    void librariesDoNotDependOnJavaFx() {
        noClasses().that().resideInAnyPackage("dev.kcovexplorer.kcov..", "dev.kcovexplorer.symbolizer..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.fxmisc..", "org.controlsfx..")
                .check(classes);
    }

    @Test
    void librariesDoNotDependOnEachOtherOrOnTheApp() {
        noClasses().that().resideInAPackage("dev.kcovexplorer.kcov..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.kcovexplorer.symbolizer..", "dev.kcovexplorer.app..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.kcovexplorer.symbolizer..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.kcovexplorer.kcov..", "dev.kcovexplorer.app..")
                .check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.kcovexplorer.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theRulesSeeTheClassesTheyGuard() {
        org.assertj.core.api.Assertions.assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
                .anyMatch(p -> p.startsWith("dev.kcovexplorer.app.model"))
                .anyMatch(p -> p.startsWith("dev.kcovexplorer.app.cli"))
                .anyMatch(p -> p.startsWith("dev.kcovexplorer.app.live"))
                .anyMatch(p -> p.startsWith("dev.kcovexplorer.kcov"))
                .anyMatch(p -> p.startsWith("dev.kcovexplorer.symbolizer"));
    }
}
