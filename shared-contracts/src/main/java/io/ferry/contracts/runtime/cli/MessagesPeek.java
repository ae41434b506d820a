package io.ferry.contracts.runtime.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "peek", mixinStandardHelpOptions = true,
    description = "Browses a queue's messages without leasing them.")
final class MessagesPeek extends OperatorCommand {

  @Parameters(paramLabel = "QUEUE", description = "queue id or name")
  String queue;

  @Option(names = "--count", defaultValue = "10", description = "how many messages (default ${DEFAULT-VALUE})")
  int count;

  MessagesPeek(CliContext context) {
    super(context);
  }

  @Override
  void run(FerryClient client, PrintWriter out) {
    if (count < 1) {
      throw new CliFailure(CliFailure.INVALID, "--count must be at least 1");
    }
    String id = client.queue(queue).getString("id");
    JsonArray listed = FerryClient.array(client.get("/v1/queues/" + id + "/messages?limit=" + count));
    // the list carries ids only; each message's data is read by id, which does not lease it either
    JsonArray messages = new JsonArray();
    for (Object each : listed) {
      messages.add(FerryClient.object(
          client.get("/v1/queues/" + id + "/messages/" + ((JsonObject) each).getString("id"))));
    }
    if (json()) {
      printJson(out, messages);
      return;
    }
    out.printf("%-40s %s%n", "ID", "DATA");
    for (Object each : messages) {
      JsonObject message = (JsonObject) each;
      out.printf("%-40s %s%n", message.getString("id"), message.getValue("data"));
    }
  }
}
