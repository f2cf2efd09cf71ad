package io.docstream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.docstream.platform.errors.InvalidInputException;

/**
 * Fuzzes the conditional-request headers: any If-None-Match or If-Match value is read or refused as invalid input
 * (a 400 problem), never anything else; a tag docstream made always matches itself, also among other listed tags,
 * and If-Match never lets a weak tag through. {@code JAZZER_FUZZ=1} fuzzes; without it the seeds run.
 */
class EntityTagsFuzzTests {

    @FuzzTest(maxDuration = "30s")
    void anyHeaderIsReadOrRefusedAsInvalidInput(FuzzedDataProvider data) {
        String tenant = data.consumeString(20);
        String id = data.consumeString(40);
        long version = data.consumeLong();
        String header = data.consumeRemainingAsString();
        String tag = EntityTags.document(tenant, id, version);

        try {
            EntityTags.noneMatchFails(header, tag);
            EntityTags.matchPasses(header, tag);
        } catch (InvalidInputException e) {
            assertThat(e.getMessage()).containsAnyOf("If-None-Match", "If-Match");
        }
        assertThat(EntityTags.noneMatchFails(tag, tag)).isTrue();
        assertThat(EntityTags.noneMatchFails("\"x\", " + tag + " ,W/\"y\"", tag)).isTrue();
        assertThat(EntityTags.matchPasses("W/" + tag, tag)).as("If-Match compares strongly").isFalse();
        assertThat(EntityTags.matchPasses(tag, tag)).isTrue();
        assertThat(tag).matches("\"[A-Za-z0-9_-]{24}\"");
    }
}
