package io.docstream.cli.audit;

import io.docstream.cli.CommandFailure;
import io.docstream.cli.ServiceOptions;
import io.docstream.cli.TimeArgument;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docstream audit}: the tenant's audit trail from {@code GET /api/v1/audit}, newest first, as a table or
 * JSON. Needs a key with the admin scope; pages through the API until {@code --limit} events are shown.
 */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Show who changed what and how it ended: every document change, key change, replay, reindex and DLQ"
                    + " action of your tenant, newest first.",
            "",
            "Examples:",
            "  docstream audit --since PT1H",
            "  docstream audit --action document.upsert --actor key:1f0e... --limit 200",
            "  docstream audit --request-id r-123 --json"
        })
public final class AuditCommand implements Callable<Integer> {

    /** The most the API returns per page. */
    static final int PAGE_SIZE = 500;

    @Mixin
    ServiceOptions services;

    @Option(names = "--actor", paramLabel = "ACTOR", description = "Only this actor, e.g. key:<key id> or system:indexer.")
    String actor;

    @Option(names = "--action", paramLabel = "ACTION",
            description = "Only this action, e.g. document.upsert, document.indexed, key.create, replay, dlq.redrive.")
    String action;

    @Option(names = "--request-id", paramLabel = "ID", description = "Only events of this request (X-Request-Id).")
    String requestId;

    @Option(names = "--since", paramLabel = "TIME",
            description = "From this ISO-8601 instant (2026-11-02T09:00:00Z), or this long ago (PT1H, P7D).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Before this ISO-8601 instant, or this long ago.")
    String until;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "How many events to show, at most.")
    int limit;

    @Option(names = "--json", description = "Print the events as JSON instead of a table.")
    boolean json;

    private final Clock clock;

    public AuditCommand() {
        this(Clock.systemUTC());
    }

    AuditCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        return CommandFailure.exitCode("audit", () -> {
            run(System.out);
            return 0;
        });
    }

    void run(PrintStream out) {
        if (limit < 1) {
            throw new AuditException("--limit must be at least 1");
        }
        JsonMapper mapper = JsonMapper.builder().build();
        AuditClient client = new AuditClient(services.queryApi(Duration.ofSeconds(30), AuditException::new));
        Map<String, String> filters = filters();
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> parameters = new LinkedHashMap<>(filters);
            parameters.put("limit", Integer.toString(Math.min(PAGE_SIZE, limit - events.size())));
            if (cursor != null) {
                parameters.put("cursor", cursor);
            }
            JsonNode page = client.page(parameters);
            page.path("events").forEach(events::add);
            JsonNode next = page.path("nextCursor");
            cursor = next.isString() ? next.asString() : null;
        } while (cursor != null && events.size() < limit);
        if (json) {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode array = body.putArray("events");
            events.forEach(array::add);
            body.put("nextCursor", cursor);
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        } else {
            out.print(AuditTable.render(events));
            out.println(events.size() + (events.size() == 1 ? " event" : " events")
                    + (cursor != null ? "; more match, raise --limit or narrow with --since/--until" : ""));
        }
    }

    Map<String, String> filters() {
        Map<String, String> filters = new LinkedHashMap<>();
        putIfPresent(filters, "actor", actor);
        putIfPresent(filters, "action", action);
        putIfPresent(filters, "requestId", requestId);
        putIfPresent(filters, "since", since == null ? null : instant("--since", since).toString());
        putIfPresent(filters, "until", until == null ? null : instant("--until", until).toString());
        return filters;
    }

    /** An ISO-8601 instant as given, or an ISO-8601 duration counted back from now. */
    Instant instant(String option, String value) {
        return TimeArgument.parse(option, value, clock, AuditException::new);
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }


    /** A failure reported as one line, without a stack trace. */
    static final class AuditException extends CommandFailure {
        AuditException(String message) {
            super(message);
        }
    }
}
