# syntax=docker/dockerfile:1.7
#
# One image per docstream service, all from one Maven build:
#   docker build --target ingest -t docstream/ingest:local .
# (compose/docker-compose.yml builds all four). Targets: ingest, indexer, invalidator, query-api.

# ---- build: the whole reactor, once ------------------------------------------------------------
FROM eclipse-temurin:25.0.1_8-jdk-noble AS build
WORKDIR /src
COPY . .
# The Maven repository (and the Maven distribution mvnw fetches) survive between builds in a cache
# mount. The jOOQ code generation in schemas starts an embedded PostgreSQL during this build.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests package \
    && mkdir -p /out \
    && for app in ingest indexer invalidator query-api; do \
         mkdir -p "/out/$app" && cp "$app"/target/docstream-"$app"-*-exec.jar "/out/$app/app.jar"; \
       done \
    && cp cli/target/agents/opentelemetry-javaagent.jar /out/opentelemetry-javaagent.jar

# ---- runtime: what every service image shares ---------------------------------------------------
FROM eclipse-temurin:25.0.1_8-jre-noble AS runtime
# The JRE image has neither curl nor wget; health checks use bash's /dev/tcp through this script.
COPY --chmod=755 <<'EOF' /usr/local/bin/http-ok
#!/bin/bash
# Usage: http-ok PORT PATH - exits 0 when GET http://127.0.0.1:PORT/PATH answers 200.
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/$1"
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$2" >&3
IFS= read -r -t 5 status <&3
[[ "$status" == "HTTP/1."?" 200"* ]]
EOF
RUN groupadd --system --gid 10001 docstream \
    && useradd --system --uid 10001 --gid docstream --home-dir /var/lib/docstream --no-create-home docstream \
    && mkdir -p /app /var/lib/docstream \
    && chown docstream:docstream /var/lib/docstream
COPY --from=build /out/opentelemetry-javaagent.jar /opt/otel/opentelemetry-javaagent.jar
# Relative paths (Kafka Streams state, ONNX native libraries) land in a directory the service owns.
WORKDIR /var/lib/docstream
USER docstream
# Lucene's vector code and the ONNX runtime need the vector module and native access. The agent is
# attached by JAVA_TOOL_OPTIONS (see compose), so an image runs without it too.
ENTRYPOINT ["java", "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", \
            "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]

# ---- one target per service ---------------------------------------------------------------------
FROM runtime AS ingest
COPY --from=build /out/ingest/app.jar /app/app.jar
EXPOSE 8081

FROM runtime AS indexer
COPY --from=build /out/indexer/app.jar /app/app.jar
EXPOSE 8082

FROM runtime AS invalidator
COPY --from=build /out/invalidator/app.jar /app/app.jar
EXPOSE 8083

FROM runtime AS query-api
COPY --from=build /out/query-api/app.jar /app/app.jar
EXPOSE 8080
