package io.docstream.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CacheKeysTests {

    @Test
    void everyKeyOfATenantLivesInTheTenantsClusterSlot() {
        List<String> keys = List.of(CacheKeys.generation("acme"), CacheKeys.changes("acme"),
                CacheKeys.document("acme", "doc-1"), CacheKeys.document("acme", "a{b}c"),
                CacheKeys.search("acme", "docstream-chunks__m__1", "q=hello"), CacheKeys.searchPrefix("acme") + "x");
        assertThat(keys).allSatisfy(key -> assertThat(key).startsWith("ds:{acme}:"));
        assertThat(keys.stream().map(SlotHash::getSlot).distinct()).hasSize(1);
    }

    @Test
    void tenantsSpreadOverSlots() {
        assertThat(IntStream.range(0, 100).mapToObj(i -> CacheKeys.generation("tenant-" + i)).map(SlotHash::getSlot)
                .distinct().count()).isGreaterThan(90);
    }

    @Test
    void refusesTenantsThatWouldBreakTheHashTag() {
        for (String tenant : List.of("", "a}b", "a{b", "a:b")) {
            assertThatThrownBy(() -> CacheKeys.generation(tenant)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
