package io.ferry.contracts.runtime.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "push", mixinStandardHelpOptions = true,
    description = "Pushes one message; BODY is JSON (or taken as a string), '-' reads it from stdin.")
final class MessagesPush extends OperatorCommand {

  @Parameters(index = "0", paramLabel = "QUEUE", description = "queue id or name")
  String queue;

  @Parameters(index = "1", paramLabel = "BODY", defaultValue = "-", description = "message body, '-' for stdin")
  String body;

  private final InputStream stdin;

  MessagesPush(CliContext context, InputStream stdin) {
    super(context);
    this.stdin = stdin;
  }

  @Override
  void run(FerryClient client, PrintWriter out) {
    String id = client.queue(queue).getString("id");
    JsonObject created = FerryClient.object(
        client.post("/v1/queues/" + id + "/messages", new JsonObject().put("data", data())));
    if (json()) {
      printJson(out, created);
    } else {
      out.println(created.getString("id", created.encode()));
    }
  }

  private Object data() {
    String text = body;
    if ("-".equals(body)) {
      try {
        text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new CliFailure(CliFailure.INVALID, "cannot read the body from stdin: " + e.getMessage());
      }
    }
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      // a body that is not JSON is sent as a string, as an operator typing a word means
      return text;
    }
  }
}
