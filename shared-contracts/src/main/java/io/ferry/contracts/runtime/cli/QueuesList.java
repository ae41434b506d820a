package io.ferry.contracts.runtime.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists the queues the key can see.")
final class QueuesList extends OperatorCommand {

  QueuesList(CliContext context) {
    super(context);
  }

  @Override
  void run(FerryClient client, PrintWriter out) {
    JsonArray queues = FerryClient.array(client.get("/v1/queues"));
    if (json()) {
      printJson(out, queues);
      return;
    }
    out.printf("%-40s %s%n", "ID", "NAME");
    for (Object each : queues) {
      JsonObject queue = (JsonObject) each;
      out.printf("%-40s %s%n", queue.getString("id"), queue.getString("name"));
    }
  }
}
