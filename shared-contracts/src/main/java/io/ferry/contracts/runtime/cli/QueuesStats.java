package io.ferry.contracts.runtime.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stats", mixinStandardHelpOptions = true, description = "Shows one queue's details and counts.")
final class QueuesStats extends OperatorCommand {

  @Parameters(paramLabel = "QUEUE", description = "queue id or name")
  String queue;

  QueuesStats(CliContext context) {
    super(context);
  }

  @Override
  void run(FerryClient client, PrintWriter out) {
    String id = client.queue(queue).getString("id");
    JsonObject details = FerryClient.object(client.get("/v1/queues/" + id));
    if (json()) {
      printJson(out, details);
      return;
    }
    details.forEach(field -> out.printf("%-24s %s%n", field.getKey(), field.getValue()));
  }
}
