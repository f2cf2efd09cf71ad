package io.docstream.cli.tenants;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code docstream tenants} against the embedded runtime (two query API replicas): the key the command prints for a
 * new tenant works at once, the tenant is listed, its key is refused on every replica once it is disabled and works
 * again once it is enabled; a tenant's admin key without the operator scope is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class TenantsCliIntegrationTests {

    private static final Pattern CREATED = Pattern.compile("Created tenant (\\S+) with key ([0-9a-f-]{36}) "
            + "\\(scopes admin,ingest,search\\)\\.\\n.*\\n\\n(ds_\\S+)\\n");
    private static final Duration KEY_CACHE_TTL = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SharedCacheRuntime shared;
    private Path operatorKeyFile;
    private Path adminKeyFile;

    @BeforeAll
    void keys(SharedCacheRuntime runtime) {
        shared = runtime;
        operatorKeyFile = AdminCommands.keyFile(runtime, "tenants-cli", "operator",
                EnumSet.of(Scope.OPERATOR, Scope.ADMIN));
        adminKeyFile = AdminCommands.keyFile(runtime, "tenants-cli-admin", "admin", EnumSet.of(Scope.ADMIN));
    }

    @Test
    void aTenantCreatedWithTheCommandWorksIsListedAndIsRefusedWhileDisabled() throws Exception {
        String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);

        String created = run(operatorKeyFile, "create", tenant);
        Matcher matcher = CREATED.matcher(created);
        assertThat(matcher.find()).as(created).isTrue();
        assertThat(matcher.group(1)).isEqualTo(tenant);
        String key = matcher.group(3);
        for (String queryUrl : shared.queryUrls()) {
            assertThat(status(queryUrl, key)).isEqualTo(200);
        }
        assertThat(run(operatorKeyFile, "list")).containsPattern("(?m)^" + tenant + " +\\S+ +enabled +-$");
        assertThat(run(operatorKeyFile, "--json", "list")).contains("\"id\" : \"" + tenant + "\"");

        assertThat(run(operatorKeyFile, "disable", tenant)).contains("Disabled tenant " + tenant);
        await().atMost(KEY_CACHE_TTL.plusSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> shared.queryUrls().stream().allMatch(url -> status(url, key) == 401));
        assertThat(run(operatorKeyFile, "list")).containsPattern("(?m)^" + tenant + " +\\S+ +disabled +\\S+$");

        assertThat(run(operatorKeyFile, "enable", tenant)).contains("Enabled tenant " + tenant);
        await().atMost(KEY_CACHE_TTL.plusSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> shared.queryUrls().stream().allMatch(url -> status(url, key) == 200));
    }

    @Test
    void onlyAnOperatorKeyManagesTenantsAndMistakesAreReportedInOneLine() {
        assertThatThrownBy(() -> run(adminKeyFile, "list")).hasMessageContaining("answered 403");
        assertThatThrownBy(() -> run(adminKeyFile, "create", "not-mine")).hasMessageContaining("answered 403");
        assertThatThrownBy(() -> run(operatorKeyFile, "create", "Upper Case")).hasMessageContaining("answered 400");
        assertThatThrownBy(() -> run(operatorKeyFile, "disable", "no-such-tenant"))
                .hasMessageContaining("answered 404");
        assertThatThrownBy(() -> run(operatorKeyFile, "create", "tenants-cli")).hasMessageContaining("answered 409");
    }

    private String run(Path keyFile, String... args) {
        return AdminCommands.run(shared, keyFile, "tenants", args);
    }

    private int status(String queryUrl, String key) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(queryUrl + "/api/v1/search?q=tenants"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
