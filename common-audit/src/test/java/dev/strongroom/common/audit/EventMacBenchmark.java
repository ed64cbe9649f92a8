package dev.strongroom.common.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (surefire skips it by name): what checking an event's signature costs
 * audit-service per event, next to the SHA-256 link of the hash chain it already computes. Run with
 * <pre>./mvnw -o -pl common-audit -am test -Dtest=EventMacBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class EventMacBenchmark {

    @Test
    void measure() throws Exception {
        int events = Integer.getInteger("strongroom.benchmark.events", 2_000_000);
        EventMac mac = new EventMac(EventMac.key(Base64.getEncoder().encodeToString(new byte[32]), "benchmark"));
        // a secret.read as the services write it (about 600 bytes, like AuditStackLoad's)
        String value = AuditJson.write(AuditEvent.of("secret.read")
                .actor(new AuditActor("0193f0c2-7a1e-7c3d-9f00-2b6c1d1e4a55", "user-17", ActorType.USER, "10.1.17.42", "strongroom-cli/1.4"))
                .resource(AuditTarget.of("secret", "0193f0c2-7a1e-7c3d-9f00-2b6c1d1e4a56", "team-3/db/password-17")
                        .inEnvironment("production").atVersion(3))
                .requestId("req-0193f0c2-7a1e-7c3d-9f00-2b6c1d1e4a57").detail("versionRequested", true)
                .build("strongroom/secrets-service"));
        byte[] signature = mac.sign(value.getBytes(StandardCharsets.UTF_8));
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] previous = new byte[32];
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            int verified = 0;
            for (int i = 0; i < events; i++) {
                verified += mac.verifies(value.getBytes(StandardCharsets.UTF_8), signature) ? 1 : 0;
            }
            long verify = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                sha256.update(previous);
                sha256.update(value.getBytes(StandardCharsets.UTF_8));
                previous = sha256.digest();
            }
            long link = System.nanoTime() - start;
            assertThat(verified).isEqualTo(events);
            System.out.printf(Locale.ROOT, "round %d, %d-byte event: signature check %.2f µs (%.0f k events/s on one thread),"
                    + " chain link (SHA-256) %.2f µs%n", round, value.length(), verify / 1e3 / events, events / (verify / 1e9) / 1e3,
                    link / 1e3 / events);
        }
    }
}
