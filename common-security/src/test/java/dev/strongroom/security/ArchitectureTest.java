package dev.strongroom.security;

import dev.strongroom.testing.ArchitectureRules;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** common-security's main classes keep the structure rules of {@link ArchitectureRules} (a shared library imports no service). */
class ArchitectureTest {

    @TestFactory
    Stream<DynamicTest> structure() {
        return ArchitectureRules.checks("dev.strongroom.security");
    }
}
