package io.fulcrum.dataplane;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The data plane's packages point one way (docs/architecture.md), and the classes it keeps in
 * Netty's package depend on nothing of Fulcrum's (docs/data-plane.md).
 */
@Timeout(60)
class PackageCyclesTest {
    /** Only this module's classes: Netty's own classes of io.netty.channel.epoll come from its jar. */
    private static final ImportOption OWN_CLASSES = (Location location) -> !location.isJar();

    @Test
    void dataPlanePackagesHaveNoCycles() {
        slices().matching("(**)").should().beFreeOfCycles()
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .withImportOption(OWN_CLASSES).importPackages("io.fulcrum.dataplane", "io.netty.channel.epoll"));
    }
}
