package dev.strongroom.security.issuers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The unverified issuer that picks a request's verifier: read from the payload's top level only. */
class IssuerOfTest {

    private static String jwt(String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    @Test
    void readsTheTopLevelIssuerWhereverItStands() {
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":\"https://idp.example\",\"sub\":\"u1\"}")))
                .isEqualTo("https://idp.example");
        assertThat(IssuerTenantResolver.issuerOf(jwt(
                "{\"sub\":\"u1\",\"groups\":[\"a\",{\"iss\":\"nested\"}],\"cnf\":{\"iss\":\"nested\"},\"exp\":1,\"iss\":\"late\"}")))
                .isEqualTo("late");
    }

    @Test
    void decodesEscapesAndNonAsciiText() {
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":\"https:\\/\\/idp.example\\/r\\u00e9alm\"}")))
                .isEqualTo("https://idp.example/réalm");
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":\"https://idp.example/réalm\"}")))
                .isEqualTo("https://idp.example/réalm");
    }

    @Test
    void aRepeatedIssuerCountsAsItsLastValueAsInAMap() {
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":\"first\",\"iss\":\"second\"}"))).isEqualTo("second");
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":\"first\",\"iss\":7}"))).isNull();
    }

    @Test
    void anIssuerThatIsNotAStringIsNone() {
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":42}"))).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":null}"))).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":[\"a\"]}"))).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":{\"x\":\"a\"}}"))).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"sub\":\"u1\"}"))).isNull();
    }

    @Test
    void anythingUnreadableIsNone() {
        assertThat(IssuerTenantResolver.issuerOf(null)).isNull();
        assertThat(IssuerTenantResolver.issuerOf("")).isNull();
        assertThat(IssuerTenantResolver.issuerOf("no-dots-at-all")).isNull();
        assertThat(IssuerTenantResolver.issuerOf("one.dot")).isNull();
        assertThat(IssuerTenantResolver.issuerOf("a.!!not base64!!.c")).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt("[\"iss\",\"x\"]"))).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt("\"iss\""))).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":\"cut"))).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt("{\"iss\":\"x\""))).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt("not json"))).isNull();
        assertThat(IssuerTenantResolver.issuerOf(jwt(""))).isNull();
    }
}
