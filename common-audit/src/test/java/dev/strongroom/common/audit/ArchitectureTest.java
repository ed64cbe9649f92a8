package dev.strongroom.common.audit;

import dev.strongroom.testing.ArchitectureRules;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** common-audit's main classes keep the structure rules of {@link ArchitectureRules} (a shared library imports no service). */
class ArchitectureTest {

    @TestFactory
    Stream<DynamicTest> structure() {
        return ArchitectureRules.checks("dev.strongroom.common.audit");
    }
}
