package dev.strongroom.common;

import dev.strongroom.testing.ArchitectureRules;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * common-service's main classes keep the structure rules of {@link ArchitectureRules}: a shared library imports no
 * service, and its packages ({@code problem} → {@code web}, {@code id}, {@code metrics}) are free of cycles.
 */
class ArchitectureTest {

    @TestFactory
    Stream<DynamicTest> structure() {
        return ArchitectureRules.checks("dev.strongroom.common");
    }
}
