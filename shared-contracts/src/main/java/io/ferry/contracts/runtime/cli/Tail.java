package io.ferry.contracts.runtime.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", mixinStandardHelpOptions = true,
    description = {"Follows a queue live over the Sonya long-poll route, one line per message; after a network "
        + "failure it reconnects and resumes after the last sequence it printed.",
        "--json prints each message as one JSON line {id, sequence, payload}."})
final class Tail extends OperatorCommand {

  @Parameters(paramLabel = "QUEUE", description = "queue id or name")
  String queue;

  @Option(names = "--from", paramLabel = "SEQUENCE",
      description = "start at this sequence, 'first' or 'last' (default: messages pushed from now on)")
  String from;

  @Option(names = "--max", paramLabel = "N", description = "stop after N messages (default: follow forever)")
  long max = Long.MAX_VALUE;

  Tail(CliContext context) {
    super(context);
  }

  @Override
  void run(FerryClient client, PrintWriter out) {
    String name = client.queue(queue).getString("name");
    String path = "/queue/listen/longpoll/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "?timeout_ms=25000";
    String sequence = from;
    long printed = 0;
    int failures = 0;
    while (printed < max) {
      Object answer;
      try {
        answer = client.get(sequence == null ? path : path + "&sequence=" + sequence);
        failures = 0;
      } catch (CliFailure e) {
        // a network failure resumes from the last printed sequence; anything the server refused ends the tail
        if (e.exitCode() != CliFailure.FAILED || e.getMessage().matches("^\\d{3} .*") || ++failures > 5) {
          throw e;
        }
        continue;
      }
      for (Object each : FerryClient.array(answer)) {
        JsonObject frame = (JsonObject) each;
        if (json()) {
          printJson(out, frame);
        } else {
          out.println(frame.getValue("sequence") + "\t" + frame.getString("id") + "\t" + frame.getValue("payload"));
        }
        out.flush();
        sequence = Long.toString(frame.getLong("sequence") + 1);
        if (++printed >= max) {
          return;
        }
      }
    }
  }
}
