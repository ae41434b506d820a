package io.ferry.contracts.runtime.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists a queue's webhook listeners.")
final class ListenersList extends OperatorCommand {

  @Parameters(paramLabel = "QUEUE", description = "queue id or name")
  String queue;

  ListenersList(CliContext context) {
    super(context);
  }

  @Override
  void run(FerryClient client, PrintWriter out) {
    String id = client.queue(queue).getString("id");
    JsonArray listeners = FerryClient.array(client.get("/v1/queues/" + id + "/listeners"));
    if (json()) {
      printJson(out, listeners);
      return;
    }
    out.printf("%-40s %s%n", "ID", "URL");
    for (Object each : listeners) {
      JsonObject listener = (JsonObject) each;
      out.printf("%-40s %s%n", listener.getString("id"), listener.getValue("notify_url", listener.getValue("url")));
    }
  }
}
