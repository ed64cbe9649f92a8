package dev.strongroom.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event ids are RFC 9562 version 7 and increase, so id order is time order. */
class UuidV7Test {

    @Test
    void idsAreVersion7AndStrictlyIncreasing() {
        List<UUID> ids = new ArrayList<>();
        long before = System.currentTimeMillis();
        for (int i = 0; i < 10_000; i++) {
            ids.add(UuidV7.next());
        }
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i).version()).isEqualTo(7);
            assertThat(ids.get(i).variant()).isEqualTo(2);
            assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
        }
        assertThat(UuidV7.millis(ids.getFirst())).isBetween(before, System.currentTimeMillis() + 5);
    }

    @Test
    void bytesRoundTrip() {
        UUID id = UuidV7.next();
        assertThat(UuidV7.fromBytes(UuidV7.toBytes(id))).isEqualTo(id);
    }
}
