package dev.strongroom.security.revocation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions this service refuses tokens of, in memory: {@code sid} → refused until (epoch ms).
 * Fed by {@link RevocationListener} from the revocation topic (and directly by auth-service, which
 * revokes locally before the topic round trip). Entries drop out once no token of theirs can be valid.
 */
@ApplicationScoped
public class RevokedSessions {

    private final Map<String, Long> revoked = new ConcurrentHashMap<>();
    private final Clock clock;

    @Inject
    RevokedSessions(MeterRegistry registry) {
        this(Clock.systemUTC());
        Gauge.builder("strongroom.security.revoked.sessions", revoked, Map::size)
                .description("Revoked sessions whose tokens this service currently refuses")
                .register(registry);
    }

    RevokedSessions(Clock clock) {
        this.clock = clock;
    }

    /** Whether tokens of this session must be refused now. */
    public boolean isRevoked(String sid) {
        if (sid == null) {
            return false;
        }
        Long until = revoked.get(sid);
        if (until == null) {
            return false;
        }
        if (until <= clock.millis()) {
            revoked.remove(sid, until);
            return false;
        }
        return true;
    }

    /** Refuses tokens of {@code sid} until {@code untilMillis} (the later of two revocations wins). */
    public void revoke(String sid, long untilMillis) {
        if (sid != null && untilMillis > clock.millis()) {
            revoked.merge(sid, untilMillis, Math::max);
        }
    }

    public void apply(SessionRevocation revocation) {
        revoke(revocation.sid(), revocation.expiresAt());
    }

    /** Forgets entries whose tokens have all expired. */
    public void prune() {
        long now = clock.millis();
        revoked.entrySet().removeIf(e -> e.getValue() <= now);
    }

    public int size() {
        return revoked.size();
    }
}
