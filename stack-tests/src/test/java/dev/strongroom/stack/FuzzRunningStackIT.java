package dev.strongroom.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The fuzzer against a stack you started yourself with {@code ./strongroom up} (the suite runs it inside
 * {@link LocalStackIT}, against the stack that test starts). Off unless {@code -Dstrongroom.fuzz.stack} names the
 * stack's home folder (STRONGROOM_HOME, {@code .strongroom} by default); docs/development.md shows the command.
 * {@code -Dstrongroom.fuzz.ports} (five ports, auth first, default 8081–8085) and {@code -Dstrongroom.fuzz.db-prefix}
 * (default {@code strongroom_}) follow the stack's STRONGROOM_*_PORT and STRONGROOM_DB_PREFIX; the admin is the one
 * {@code up} generated unless {@code -Dstrongroom.fuzz.admin-password} gives it.
 */
@EnabledIfSystemProperty(named = "strongroom.fuzz.stack", matches = ".+")
class FuzzRunningStackIT {

    @Test
    void everyOperationOfTheRunningStackSurvivesTheFuzzer() throws Exception {
        Path home = Path.of(System.getProperty("strongroom.fuzz.stack"));
        String[] ports = System.getProperty("strongroom.fuzz.ports", "8081,8082,8083,8084,8085").split(",");
        Map<String, String> urls = new LinkedHashMap<>();
        List<String> services = LocalStack.SERVICES;
        for (int i = 0; i < services.size(); i++) {
            urls.put(services.get(i), "http://127.0.0.1:" + ports[i].trim());
        }
        String[] admin = Files.readString(home.resolve("secrets/bootstrap-admin")).trim().split(" ", 2);
        String password = System.getProperty("strongroom.fuzz.admin-password", admin[1]);
        new FuzzChecks(urls, new String[] {admin[0], password}, System.getProperty("strongroom.fuzz.db-prefix", "strongroom_"))
                .everyOperationSurvivesTheFuzzer();
    }
}
