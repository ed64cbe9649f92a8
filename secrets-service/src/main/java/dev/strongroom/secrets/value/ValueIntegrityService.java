package dev.strongroom.secrets.value;

import dev.strongroom.secrets.repository.SecretVersionRepository;
import dev.strongroom.secrets.repository.SecretVersionRepository.CurrentEnvelope;
import dev.strongroom.secrets.support.SecretProblems;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Opens every secret's current version and throws the plaintext away: the check after a restore (or a root
 * key or KEK change) that every value still decrypts. Reports counts and the ids that fail, never a value.
 */
@ApplicationScoped
public class ValueIntegrityService {

    private static final Logger LOG = Logger.getLogger(ValueIntegrityService.class);
    private static final int PAGE = 200;
    private static final int LISTED = 100;
    private static final UUID FIRST = new UUID(0, 0);

    @Inject
    SecretVersionRepository versions;

    @Inject
    SecretCrypto crypto;

    /** One version that did not open, and why (a problem type's short name, no detail). */
    public record Failure(UUID secretId, int version, String reason) {}

    /** The result: how many current versions were opened and which failed (the first 100 listed). */
    public record Report(long checked, long failed, List<Failure> failures) {
        public boolean ok() {
            return failed == 0;
        }
    }

    public Uni<Report> check() {
        Tally tally = new Tally();
        return page(FIRST, tally)
                .map(done -> new Report(tally.checked, tally.failed, List.copyOf(tally.failures)))
                .invoke(report -> LOG.infof("Value integrity check: %d current versions opened, %d failed",
                        report.checked(), report.failed()));
    }

    private Uni<Void> page(UUID after, Tally tally) {
        return Panache.withSession(() -> versions.currentEnvelopes(after, PAGE))
                .chain(envelopes -> Multi.createFrom().iterable(envelopes)
                        .onItem().transformToUniAndConcatenate(envelope -> open(envelope, tally))
                        .collect().last()
                        .chain(() -> envelopes.size() < PAGE
                                ? Uni.createFrom().voidItem()
                                : page(envelopes.get(envelopes.size() - 1).secretId(), tally)));
    }

    private Uni<Boolean> open(CurrentEnvelope envelope, Tally tally) {
        return crypto.open(envelope.secretId(), envelope.version(), envelope.environment(), envelope.ciphertext())
                .onItemOrFailure().invoke((plain, failure) -> {
                    tally.checked++;
                    if (plain != null) {
                        Arrays.fill(plain, (byte) 0);
                    }
                    if (failure != null) {
                        tally.failed++;
                        if (tally.failures.size() < LISTED) {
                            tally.failures.add(new Failure(envelope.secretId(), envelope.version(), reason(failure)));
                        }
                    }
                })
                .replaceWith(Boolean.TRUE)
                .onFailure().recoverWithItem(Boolean.FALSE);
    }

    private static String reason(Throwable failure) {
        if (failure instanceof SecretProblems.ValueUndecryptable) {
            return "undecryptable";
        }
        if (failure instanceof SecretProblems.KeyServiceUnavailable) {
            return "key-service-unavailable";
        }
        return "error";
    }

    /** Counters of one check; its steps run one after another. */
    private static final class Tally {
        long checked;
        long failed;
        final List<Failure> failures = new ArrayList<>();
    }
}
