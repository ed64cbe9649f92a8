package dev.strongroom.security.issuers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The unverified exp that lets a long-expired token be refused early: top level, a NumericDate, else none. */
class UnverifiedJwtTest {

    private static UnverifiedJwt read(String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return UnverifiedJwt.read(b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2ln");
    }

    @Test
    void readsIssuerAndExpiryTogether() {
        assertThat(read("{\"iss\":\"https://idp.example\",\"exp\":1795000000,\"sub\":\"u1\"}"))
                .isEqualTo(new UnverifiedJwt("https://idp.example", 1795000000L));
    }

    @Test
    void aNonIntegerNumericDateIsItsWholeSeconds() {
        assertThat(read("{\"exp\":1795000000.75}").expiresAt()).isEqualTo(1795000000L);
        assertThat(read("{\"exp\":1.795E9}").expiresAt()).isEqualTo(1795000000L);
    }

    @Test
    void anExpiryThatIsNoNumberOrOutOfRangeIsNone() {
        assertThat(read("{\"exp\":\"1795000000\"}").expiresAt()).isZero();
        assertThat(read("{\"exp\":null}").expiresAt()).isZero();
        assertThat(read("{\"exp\":-5}").expiresAt()).isZero();
        assertThat(read("{\"exp\":123456789012345678901234567890}").expiresAt()).isZero();
        assertThat(read("{\"exp\":1e300}").expiresAt()).isZero();
        assertThat(read("{\"sub\":\"u1\"}").expiresAt()).isZero();
    }

    @Test
    void onlyTheTopLevelExpiryCountsAndTheLastOfRepeatedOnes() {
        assertThat(read("{\"act\":{\"exp\":1},\"exp\":1795000000}").expiresAt()).isEqualTo(1795000000L);
        assertThat(read("{\"exp\":1,\"exp\":1795000000}").expiresAt()).isEqualTo(1795000000L);
        assertThat(read("{\"exp\":1795000000,\"exp\":\"later\"}").expiresAt()).isZero();
    }

    @Test
    void aPayloadThatIsNoObjectIsUnreadable() {
        assertThat(read("[1795000000]")).isNull();
        assertThat(read("{\"exp\":1795000000")).isNull();
        assertThat(UnverifiedJwt.read("no.dots-here")).isNull();
    }
}
