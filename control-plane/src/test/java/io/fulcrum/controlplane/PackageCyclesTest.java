package io.fulcrum.controlplane;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The control plane's packages point one way (docs/architecture.md): no two of them depend on each other. */
@Timeout(60)
class PackageCyclesTest {
    @Test
    void controlPlanePackagesHaveNoCycles() {
        slices().matching("io.fulcrum.(**)").should().beFreeOfCycles()
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.fulcrum.controlplane"));
    }
}
