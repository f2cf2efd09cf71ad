package io.docstream.query.console;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.tenancy.Scope;
import io.swagger.v3.oas.annotations.Hidden;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's page at {@code /console}, the settings its script reads, and {@code GET /api/v1/me}, which tells any
 * key its tenant and scopes (the console shows admin panels only to keys that hold {@code admin}).
 */
@RestController
class ConsoleController {

    private static final Resource PAGE = new ClassPathResource("console/index.html");

    private final ConsoleProperties properties;

    ConsoleController(ConsoleProperties properties) {
        this.properties = properties;
    }

    @Hidden
    @GetMapping({ConsoleConfiguration.PATH, ConsoleConfiguration.PATH + "/"})
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(PAGE);
    }

    /** Where the console reaches ingest; no secret, so no key needed. */
    @Hidden
    @GetMapping(ConsoleConfiguration.PATH + "/settings.json")
    Settings settings() {
        return new Settings(properties.ingestUrl().toString().replaceAll("/+$", ""));
    }

    @GetMapping("/api/v1/me")
    Caller me(ApiKeyPrincipal principal) {
        return new Caller(principal.tenant(), principal.keyId().toString(), principal.name(),
                principal.scopes().stream().map(Scope::value).sorted().toList());
    }

    record Settings(String ingestUrl) {
    }

    /** The key's tenant, id, name and scopes; never the key. */
    record Caller(String tenant, String keyId, String keyName, List<String> scopes) {
    }
}
