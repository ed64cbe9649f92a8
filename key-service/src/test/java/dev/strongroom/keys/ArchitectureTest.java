package dev.strongroom.keys;

import dev.strongroom.testing.ArchitectureRules;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** key-service's main classes keep the structure rules of {@link ArchitectureRules}: one test per rule. */
class ArchitectureTest {

    @TestFactory
    Stream<DynamicTest> structure() {
        return ArchitectureRules.checks("dev.strongroom.keys");
    }
}
