package dev.strongroom.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/** X-Forwarded-For is believed only as far as it was written by trusted proxies. */
class ClientAddressesTest {

    private final ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8", "192.0.2.1", "2001:db8::/32"));

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(addresses.resolve("203.0.113.50", "198.51.100.1")).isEqualTo("203.0.113.50");
    }

    @Test
    void aTrustedProxyForwardsTheClient() {
        assertThat(addresses.resolve("10.1.2.3", "198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(addresses.resolve("2001:db8::5", "198.51.100.1")).isEqualTo("198.51.100.1");
    }

    @Test
    void entriesLeftOfTheFirstUntrustedHopAreForgeable() {
        // The client wrote "1.1.1.1" itself; the proxy chain appended the real address.
        assertThat(addresses.resolve("10.0.0.1", "1.1.1.1, 198.51.100.7, 192.0.2.1")).isEqualTo("198.51.100.7");
    }

    @Test
    void garbageStopsTheWalk() {
        assertThat(addresses.resolve("10.0.0.1", "198.51.100.7, not-an-ip")).isEqualTo("10.0.0.1");
        assertThat(addresses.resolve("10.0.0.1", "198.51.100.7:4711")).isEqualTo("198.51.100.7");
    }

    @Test
    void noHeaderMeansThePeer() {
        assertThat(addresses.resolve("10.0.0.1", null)).isEqualTo("10.0.0.1");
        assertThat(new ClientAddresses(List.of()).resolve("10.0.0.1", "198.51.100.7")).isEqualTo("10.0.0.1");
    }

    @Test
    void rejectsMisconfiguredProxies() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ClientAddresses(List.of("proxy.example.com")));
        assertThatIllegalArgumentException().isThrownBy(() -> new ClientAddresses(List.of("10.0.0.0/40")));
    }
}
