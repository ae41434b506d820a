package io.ferry.contracts.runtime.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Creates an API key and prints it once (it cannot be read again).")
final class KeysCreate extends OperatorCommand {

  @Option(names = "--name", description = "the key's name")
  String name;

  @Option(names = "--scopes", split = ",", description = "comma-separated scopes")
  List<String> scopes;

  KeysCreate(CliContext context) {
    super(context);
  }

  @Override
  void run(FerryClient client, PrintWriter out) {
    JsonObject request = new JsonObject();
    if (name != null) {
      request.put("name", name);
    }
    if (scopes != null) {
      request.put("scopes", new JsonArray(List.copyOf(scopes)));
    }
    JsonObject created = FerryClient.object(client.post("/v1/api_keys", request));
    if (json()) {
      printJson(out, created);
    } else {
      created.forEach(field -> out.printf("%-16s %s%n", field.getKey(), field.getValue()));
    }
  }
}
