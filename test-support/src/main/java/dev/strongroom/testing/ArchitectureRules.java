package dev.strongroom.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The structure rules of every module (docs/development.md, "Where things live"), run by each module's
 * {@code ArchitectureTest} over its main classes:
 * <ul>
 * <li>arrows point down: {@code rest} → services → {@code repository}; nothing outside {@code rest} uses a
 * {@code rest} type, {@code rest} never reaches a repository, a repository never a service;</li>
 * <li>no service imports another service's code, and the shared libraries import no service;</li>
 * <li>Tink only in common-crypto;</li>
 * <li>the packages of one service are free of cycles.</li>
 * </ul>
 * Usage, in a module's tests: {@code @TestFactory Stream<DynamicTest> structure() { return ArchitectureRules.checks("dev.strongroom.<module>"); }}
 * (plain JUnit Jupiter: one dynamic test per rule, so surefire's {@code -Dtest} filter and reports work as for any test).
 */
public final class ArchitectureRules {

    /** The root package of each service; a class in one may use no class of another. */
    static final Set<String> SERVICES = Set.of("auth", "secrets", "sharing", "audit", "keys");

    private ArchitectureRules() {}

    public static final ArchRule NO_REST_TYPE_BELOW_REST = noClasses()
            .that().resideInAPackage("dev.strongroom..")
            .and().resideOutsideOfPackage("..rest..")
            .should().dependOnClassesThat().resideInAPackage("dev.strongroom.*.rest..")
            .because("request and response types stay in rest/: services take and return their own types")
            .allowEmptyShould(true);

    public static final ArchRule REST_DOES_NOT_REACH_REPOSITORIES = noClasses()
            .that().resideInAPackage("dev.strongroom.*.rest..")
            .should().dependOnClassesThat().resideInAPackage("dev.strongroom.*.repository..")
            .because("resources call services, which own transactions and call repositories")
            .allowEmptyShould(true);

    public static final ArchRule REPOSITORIES_POINT_DOWN_ONLY = noClasses()
            .that().resideInAPackage("dev.strongroom.*.repository..")
            .should(dependOnOwnServiceOutside("repository", "config"))
            .because("a repository uses entities, its configuration and other repositories, never a service")
            .allowEmptyShould(true);

    public static final ArchRule NO_CROSS_SERVICE_IMPORTS = noClasses()
            .that().resideInAPackage("dev.strongroom..")
            .should(dependOnAnotherService())
            .because("services talk over HTTP and Kafka; shared code lives in the common-* libraries")
            .allowEmptyShould(true);

    public static final ArchRule TINK_ONLY_IN_COMMON_CRYPTO = noClasses()
            .that().resideInAPackage("dev.strongroom..")
            .and().resideOutsideOfPackage("dev.strongroom.crypto..")
            .should().dependOnClassesThat().resideInAPackage("com.google.crypto.tink..")
            .because("all cryptography goes through common-crypto")
            .allowEmptyShould(true);

    public static final ArchRule NO_PACKAGE_CYCLES = SlicesRuleDefinition.slices()
            .matching("dev.strongroom.(*).(*)..")
            .should().beFreeOfCycles()
            .allowEmptyShould(true);

    /** Every rule. */
    public static List<ArchRule> all() {
        return List.of(NO_REST_TYPE_BELOW_REST, REST_DOES_NOT_REACH_REPOSITORIES, REPOSITORIES_POINT_DOWN_ONLY,
                NO_CROSS_SERVICE_IMPORTS, TINK_ONLY_IN_COMMON_CRYPTO, NO_PACKAGE_CYCLES);
    }

    /** One test per rule over the main classes (not the tests) of {@code rootPackage}. */
    public static Stream<DynamicTest> checks(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
        return all().stream()
                .map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> rule.check(classes)));
    }

    /** The service root of a class ({@code secrets} for {@code dev.strongroom.secrets.rest.X}), or null for the libraries. */
    static String serviceOf(JavaClass type) {
        String name = type.getPackageName();
        if (!name.startsWith("dev.strongroom.")) {
            return null;
        }
        String rest = name.substring("dev.strongroom.".length());
        String root = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        return SERVICES.contains(root) ? root : null;
    }

    private static ArchCondition<JavaClass> dependOnAnotherService() {
        return new ArchCondition<>("depend on another service's classes") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String own = serviceOf(origin);
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    String target = serviceOf(dependency.getTargetClass());
                    if (target != null && !target.equals(own)) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    /** Depends on a class of its own service that is neither in the service's root package nor in one of {@code allowed}. */
    private static ArchCondition<JavaClass> dependOnOwnServiceOutside(String... allowed) {
        return new ArchCondition<>("depend on its service's classes outside the entities and " + String.join(", ", allowed)) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String own = serviceOf(origin);
                if (own == null) {
                    return;
                }
                String root = "dev.strongroom." + own;
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    String target = dependency.getTargetClass().getPackageName();
                    if (!target.startsWith(root + ".") || target.equals(root)) {
                        continue;
                    }
                    String layer = target.substring(root.length() + 1).split("\\.")[0];
                    if (!Set.of(allowed).contains(layer)) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }
}
