package io.docstream.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.AdminCommands;
import io.docstream.cli.SharedCacheRuntime;
import io.docstream.platform.tenancy.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code docstream keys} against the embedded runtime (two query API replicas, ingest): a key created with the
 * command works for its scopes only on every service, is listed, and stops working once revoked; another
 * tenant's admin sees none of it and cannot revoke it. Uses tenants of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class KeysIntegrationTests {

    private static final Pattern CREATED = Pattern.compile("Created key ([0-9a-f-]{36}) .*\\n.*\\n\\n(ds_\\S+)\\n");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SharedCacheRuntime shared;
    private Path adminKeyFile;
    private Path otherTenantKeyFile;

    @BeforeAll
    void adminKeys(SharedCacheRuntime runtime) {
        shared = runtime;
        adminKeyFile = AdminCommands.keyFile(runtime, "keys-cli", "admin", EnumSet.of(Scope.ADMIN));
        otherTenantKeyFile = AdminCommands.keyFile(runtime, "keys-cli-other", "admin", Set.of(Scope.ADMIN));
    }

    @Test
    void aKeyCreatedWithTheCommandWorksForItsScopesIsListedAndStopsWorkingOnceRevoked() throws Exception {
        String created = run(adminKeyFile, "create", "--name", "ci pipeline", "--scopes", "search");
        Matcher matcher = CREATED.matcher(created);
        assertThat(matcher.find()).as(created).isTrue();
        String id = matcher.group(1);
        String key = matcher.group(2);
        assertThat(created).contains("with scopes search", "not shown again");

        for (String queryUrl : shared.queryUrls()) {
            HttpResponse<String> search = get(queryUrl + "/api/v1/search?q=keys", key);
            assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
            assertThat(search.headers().firstValue("RateLimit-Policy")).hasValue("\"search\";q=20000;w=1");
            assertThat(get(queryUrl + "/api/v1/audit", key).statusCode()).isEqualTo(403);
        }
        assertThat(get(shared.ingestUrl() + "/api/v1/documents/some-id/status", key).statusCode()).isNotIn(401, 403);
        HttpResponse<String> ingest = http.send(HttpRequest.newBuilder(URI.create(shared.ingestUrl()
                        + "/api/v1/documents"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"k\", \"title\": \"t\", \"body\": \"b\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ingest.statusCode()).isEqualTo(403);

        String listed = run(adminKeyFile, "list");
        assertThat(listed).contains("ID", "SCOPES", id, "ci pipeline", key.substring(0, 11) + "...", "2 keys, 2 live")
                .doesNotContain(key);

        assertThat(run(adminKeyFile, "revoke", id)).contains("Revoked key " + id);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> shared.queryUrls()
                .stream().allMatch(url -> status(url + "/api/v1/search?q=keys", key) == 401));
        assertThat(run(adminKeyFile, "list")).contains("2 keys, 1 live");

        String adminKey = Files.readString(adminKeyFile).strip();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String audit = get(shared.queryUrls().getFirst() + "/api/v1/audit?limit=50", adminKey).body();
            return audit.contains("\"key.create\"") && audit.contains("\"key.revoke\"")
                    && audit.contains("key:keys-cli/" + id);
        });
    }

    @Test
    void anotherTenantsAdminNeitherSeesNorRevokesTheKeys() throws Exception {
        Matcher matcher = CREATED.matcher(run(adminKeyFile, "create", "--name", "kept", "--scopes", "ingest,search"));
        assertThat(matcher.find()).isTrue();
        String id = matcher.group(1);

        assertThat(run(otherTenantKeyFile, "list")).doesNotContain(id).contains("1 key, 1 live");
        assertThatThrownBy(() -> run(otherTenantKeyFile, "revoke", id))
                .hasMessageContaining("answered 404").hasMessageContaining("No live API key");
        assertThat(status(shared.queryUrls().getFirst() + "/api/v1/search?q=keys", matcher.group(2))).isEqualTo(200);
        assertThatThrownBy(() -> run(adminKeyFile, "create", "--name", "x", "--scopes", "root"))
                .hasMessageContaining("answered 400").hasMessageContaining("Unknown scope 'root'");
    }

    private String run(Path keyFile, String... args) {
        return AdminCommands.run(shared, keyFile, "keys", args);
    }

    private int status(String url, String key) {
        try {
            return get(url, key).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
