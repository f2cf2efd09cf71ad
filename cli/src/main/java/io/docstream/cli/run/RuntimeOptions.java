package io.docstream.cli.run;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the embedded runtime keeps its data, which ports it listens on and which embedding model it loads.
 * Ports default to the documented ones; {@link #withFreePorts()} picks free ones (tests, side-by-side runs).
 */
public record RuntimeOptions(
        Path dataDir,
        int kafkaPort,
        int postgresPort,
        int redisPort,
        int queryApiPort,
        int ingestPort,
        int indexerPort,
        int invalidatorPort,
        String model) {

    public static final Path DEFAULT_DATA_DIR = Path.of(".docstream");
    public static final String DEFAULT_MODEL = "all-minilm-l6-v2-q";

    public RuntimeOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(model, "model");
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(DEFAULT_DATA_DIR, 9092, 54329, 6380, 8080, 8081, 8082, 8083, DEFAULT_MODEL);
    }

    public RuntimeOptions withDataDir(Path dir) {
        return new RuntimeOptions(dir, kafkaPort, postgresPort, redisPort, queryApiPort, ingestPort, indexerPort,
                invalidatorPort, model);
    }

    public RuntimeOptions withModel(String modelId) {
        return new RuntimeOptions(dataDir, kafkaPort, postgresPort, redisPort, queryApiPort, ingestPort, indexerPort,
                invalidatorPort, modelId);
    }

    public RuntimeOptions withInfrastructurePorts(int kafka, int postgres, int redis) {
        return new RuntimeOptions(dataDir, kafka, postgres, redis, queryApiPort, ingestPort, indexerPort,
                invalidatorPort, model);
    }

    public RuntimeOptions withServicePorts(int queryApi, int ingest, int indexer, int invalidator) {
        return new RuntimeOptions(dataDir, kafkaPort, postgresPort, redisPort, queryApi, ingest, indexer, invalidator,
                model);
    }

    /** Every port replaced by one the OS reports free right now. */
    public RuntimeOptions withFreePorts() {
        // Distinct: the OS may hand out a port it just handed out once its probing socket is closed.
        Set<Integer> found = new LinkedHashSet<>();
        while (found.size() < 7) {
            found.add(FreePorts.find());
        }
        int[] ports = found.stream().mapToInt(Integer::intValue).toArray();
        return withInfrastructurePorts(ports[0], ports[1], ports[2])
                .withServicePorts(ports[3], ports[4], ports[5], ports[6]);
    }

    /** Fails with the option to change when a port is taken, before anything starts or touches the data. */
    void requirePortsFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--kafka-port", kafkaPort);
        ports.put("--postgres-port", postgresPort);
        ports.put("--redis-port", redisPort);
        ports.put("--query-port", queryApiPort);
        ports.put("--ingest-port", ingestPort);
        ports.put("--indexer-port", indexerPort);
        ports.put("--invalidator-port", invalidatorPort);
        Set<Integer> seen = new HashSet<>();
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            if (!seen.add(port.getValue())) {
                throw new IllegalStateException("port " + port.getValue() + " is given to more than one service ("
                        + port.getKey() + ")");
            }
            if (!FreePorts.isFree(port.getValue())) {
                throw new IllegalStateException("port " + port.getValue() + " is already in use; is docstream already"
                        + " running? Otherwise choose another one with " + port.getKey());
            }
        }
    }

    public Path apiKeyFile() {
        return dataDir.resolve("api-key");
    }

    public String queryApiUrl() {
        return "http://localhost:" + queryApiPort;
    }

    public String ingestUrl() {
        return "http://localhost:" + ingestPort;
    }
}
