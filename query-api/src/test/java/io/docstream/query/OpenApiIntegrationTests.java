package io.docstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenApiIntegrationTests extends QueryApiTestSupport {

    @Test
    void describesTheApiWithBearerKeysAndWithoutTheResolvedCaller() throws Exception {
        var response = get("/v3/api-docs", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode api = json(response);
        assertThat(api.path("paths").has("/api/v1/search")).isTrue();
        assertThat(api.path("paths").has("/api/v1/documents/{id}")).isTrue();
        assertThat(api.path("components").path("securitySchemes").path("apiKey").path("scheme").asString())
                .isEqualTo("bearer");
        JsonNode searchParameters = api.path("paths").path("/api/v1/search").path("get").path("parameters");
        assertThat(searchParameters.valueStream().map(parameter -> parameter.path("name").asString()))
                .contains("q", "k", "mode", "filter", "cursor", "explain")
                .doesNotContain("principal");
        assertThat(api.path("paths").path("/api/v1/search").path("get").path("responses").path("200").toString())
                .contains("SearchResponse", "ExplainedSearchResponse");
        assertThat(api.path("paths").has("/api/v1/me")).isTrue();
        assertThat(api.path("paths").has("/api/v1/documents/{id}/chunks")).isTrue();
        assertThat(api.path("paths").has("/console")).as("the console's page is no API").isFalse();
    }
}
