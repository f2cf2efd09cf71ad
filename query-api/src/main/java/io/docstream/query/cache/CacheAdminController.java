package io.docstream.query.cache;

import io.docstream.platform.errors.InvalidInputException;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET/PUT /api/v1/admin/cache}: how changes reach the key's tenant's cached searches on the answering
 * instance. {@code PUT {"searchInvalidation": "generation"}} overrides the configured way there (null: back to it),
 * so the two can be compared on live traffic ({@code ./docstream bench cache --schemes} does).
 */
@RestController
class CacheAdminController {

    static final String PATH = "/api/v1/admin/cache";

    private final QueryCaches caches;

    CacheAdminController(QueryCaches caches) {
        this.caches = caches;
    }

    /** The tenant's way on this instance, and the configured one. */
    record CacheSettings(String tenant, String searchInvalidation, String configured) {
    }

    @GetMapping(PATH)
    CacheSettings settings(ApiKeyPrincipal principal) {
        return settingsOf(principal.tenant());
    }

    @PutMapping(PATH)
    CacheSettings change(ApiKeyPrincipal principal, @RequestBody JsonNode body) {
        if (body == null || !body.isObject() || !body.has("searchInvalidation") || body.size() != 1) {
            throw new InvalidInputException("The body must be {\"searchInvalidation\": \"selective\" | \"generation\" | "
                    + "null}.");
        }
        JsonNode value = body.get("searchInvalidation");
        CacheProperties.SearchInvalidation scheme = null;
        if (!value.isNull()) {
            String name = value.isString() ? value.asString().toUpperCase(Locale.ROOT) : "";
            scheme = Arrays.stream(CacheProperties.SearchInvalidation.values())
                    .filter(candidate -> candidate.name().equals(name)).findFirst()
                    .orElseThrow(() -> new InvalidInputException("searchInvalidation must be \"selective\", "
                            + "\"generation\" or null, was " + value + "."));
        }
        caches.searchInvalidation(principal.tenant(), scheme);
        return settingsOf(principal.tenant());
    }

    private CacheSettings settingsOf(String tenant) {
        return new CacheSettings(tenant, caches.searchInvalidation(tenant).name().toLowerCase(Locale.ROOT),
                caches.properties().searchInvalidation().name().toLowerCase(Locale.ROOT));
    }
}
