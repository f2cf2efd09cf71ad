package io.docstream.cli.keys;

import io.docstream.cli.QueryApiAdminCommand;
import io.docstream.cli.ServiceHttp;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docstream keys}: creates, lists and revokes the API keys of the caller's tenant through the query API's
 * {@code /api/v1/admin/keys}, with a key that has the admin scope. A new key is printed once; it cannot be shown
 * again.
 */
@Command(name = "keys",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Manage your tenant's API keys: 'create' issues a key with the scopes you name and prints it once,"
                    + " 'list' shows every key (never the key itself, only its first characters), 'revoke' stops"
                    + " one (within the services' API key cache TTL, 10 s by default).",
            "",
            "Examples:",
            "  docstream keys create --name ci-pipeline --scopes ingest,search",
            "  docstream keys list",
            "  docstream keys revoke 1f0e4c9a-0b1d-4d2e-9a7b-3c5d6e7f8a9b"
        },
        subcommands = { KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class })
public final class KeysCommand extends QueryApiAdminCommand {

    static final String PATH = "/api/v1/admin/keys";

    public KeysCommand() {
        super("keys");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key for your tenant and print it once.")
    static final class Create extends QueryApiAdminCommand.Sub {

        @Option(names = "--name", paramLabel = "NAME", required = true,
                description = "What the key is for, e.g. ci-pipeline (1 to 200 characters).")
        String name;

        @Option(names = "--scopes", paramLabel = "SCOPE", split = ",", required = true,
                description = "What the key may do, comma-separated: ingest, search, admin.")
        List<String> scopes = new ArrayList<>();

        @Override
        public int run(JsonMapper mapper, PrintStream out) {
            ObjectNode body = mapper.createObjectNode();
            body.put("name", name);
            scopes.stream().map(String::strip).filter(scope -> !scope.isEmpty()).forEach(body.putArray("scopes")::add);
            JsonNode created = parent.queryApi().post(PATH, body, 201);
            if (printedJson(mapper, created, out)) {
                return 0;
            }
            out.println("Created key " + created.path("id").asString() + " '" + created.path("name").asString()
                    + "' with scopes " + KeysTable.scopes(created) + ".");
            out.println("Store it now; it is not shown again:");
            out.println();
            out.println(created.path("key").asString());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List your tenant's keys, revoked ones included, oldest first.")
    static final class ListKeys extends QueryApiAdminCommand.Sub {

        @Override
        public int run(JsonMapper mapper, PrintStream out) {
            JsonNode answer = parent.queryApi().get(PATH, 200);
            if (printedJson(mapper, answer, out)) {
                return 0;
            }
            List<JsonNode> keys = new ArrayList<>();
            answer.path("keys").forEach(keys::add);
            out.print(KeysTable.render(keys));
            long live = keys.stream().filter(key -> !key.path("revokedAt").isString()).count();
            out.println(keys.size() + (keys.size() == 1 ? " key" : " keys") + ", " + live + " live");
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key of your tenant; it stops working within the API key cache TTL (10 s by"
                    + " default).")
    static final class Revoke extends QueryApiAdminCommand.Sub {

        @Parameters(paramLabel = "ID", description = "The key's id, as 'docstream keys list' shows it.")
        String id;

        @Override
        public int run(JsonMapper mapper, PrintStream out) {
            parent.queryApi().delete(PATH + "/" + ServiceHttp.encode(id.strip()), 204);
            out.println("Revoked key " + id.strip() + "; it stops working within the API key cache TTL.");
            return 0;
        }
    }
}
