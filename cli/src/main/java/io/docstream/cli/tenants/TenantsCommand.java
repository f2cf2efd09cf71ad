package io.docstream.cli.tenants;

import io.docstream.cli.QueryApiAdminCommand;
import io.docstream.cli.ServiceHttp;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream tenants}: creates, lists, disables and enables the deployment's tenants through the query API's
 * {@code /api/v1/admin/tenants}, with a key that has the operator scope. A new tenant's first key is printed once.
 */
@Command(name = "tenants",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Manage the deployment's tenants (needs a key with the operator scope, as the one './docstream run'"
                    + " writes): 'create' makes a tenant and prints its first key (admin, ingest, search) once,"
                    + " 'list' shows every tenant, 'disable' refuses a tenant's keys (within the services' API key"
                    + " cache TTL, 10 s by default) and keeps its data, 'enable' lets them in again.",
            "",
            "Examples:",
            "  docstream tenants create globex",
            "  docstream tenants list",
            "  docstream tenants disable globex",
            "  docstream tenants enable globex"
        },
        subcommands = { TenantsCommand.Create.class, TenantsCommand.ListTenants.class, TenantsCommand.Disable.class,
            TenantsCommand.Enable.class })
public final class TenantsCommand extends QueryApiAdminCommand {

    static final String PATH = "/api/v1/admin/tenants";

    public TenantsCommand() {
        super("tenants");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a tenant and print its first key (admin, ingest, search) once.")
    static final class Create extends QueryApiAdminCommand.Sub {

        @Parameters(paramLabel = "ID", description = "The tenant's id: 1 to 63 of a-z, 0-9, '_' and '-',"
                + " starting with a letter or digit.")
        String id;

        @Override
        public int run(JsonMapper mapper, PrintStream out) {
            JsonNode created = parent.queryApi().post(PATH, mapper.createObjectNode().put("id", id.strip()), 201);
            if (printedJson(mapper, created, out)) {
                return 0;
            }
            JsonNode key = created.path("key");
            out.println("Created tenant " + created.path("id").asString() + " with key " + key.path("id").asString()
                    + " (scopes " + TenantsTable.scopes(key) + ").");
            out.println("Store it now; it is not shown again:");
            out.println();
            out.println(key.path("key").asString());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every tenant, by id.")
    static final class ListTenants extends QueryApiAdminCommand.Sub {

        @Override
        public int run(JsonMapper mapper, PrintStream out) {
            JsonNode answer = parent.queryApi().get(PATH, 200);
            if (printedJson(mapper, answer, out)) {
                return 0;
            }
            List<JsonNode> tenants = new ArrayList<>();
            answer.path("tenants").forEach(tenants::add);
            out.print(TenantsTable.render(tenants));
            long disabled = tenants.stream().filter(tenant -> tenant.path("disabled").asBoolean()).count();
            out.println(tenants.size() + (tenants.size() == 1 ? " tenant" : " tenants") + ", " + disabled
                    + " disabled");
            return 0;
        }
    }

    /** {@code disable} and {@code enable}: one POST to the tenant's action, one line about what changed. */
    abstract static class Change extends QueryApiAdminCommand.Sub {

        @Parameters(paramLabel = "ID", description = "The tenant's id.")
        String id;

        private final String action;
        private final String consequence;

        Change(String action, String consequence) {
            this.action = action;
            this.consequence = consequence;
        }

        @Override
        public int run(JsonMapper mapper, PrintStream out) {
            JsonNode tenant = parent.queryApi()
                    .post(PATH + "/" + ServiceHttp.encode(id.strip()) + "/" + action, null, 200);
            if (!printedJson(mapper, tenant, out)) {
                out.println((tenant.path("disabled").asBoolean() ? "Disabled" : "Enabled") + " tenant "
                        + tenant.path("id").asString() + consequence);
            }
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Refuse a tenant's keys (within the API key cache TTL, 10 s by default); its documents,"
                    + " keys and audit trail stay.")
    static final class Disable extends Change {

        Disable() {
            super("disable", "; its keys stop working within the API key cache TTL.");
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a disabled tenant's keys in again.")
    static final class Enable extends Change {

        Enable() {
            super("enable", "; its keys work again within the API key cache TTL.");
        }
    }
}
