package io.ferry.contracts.runtime.cli;

import io.vertx.core.json.Json;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** An operator command: a client of a running Ferry that turns failures into one stderr line and an exit code. */
abstract class OperatorCommand implements Callable<Integer> {

  @Mixin
  ServerOptions server = new ServerOptions();

  private final CliContext context;

  OperatorCommand(CliContext context) {
    this.context = context;
  }

  abstract void run(FerryClient client, PrintWriter out);

  @Override
  public final Integer call() {
    try {
      run(server.client(context.env()), context.out());
      return 0;
    } catch (CliFailure e) {
      context.err().println("ferry: " + e.getMessage());
      return e.exitCode();
    }
  }

  boolean json() {
    return server.json;
  }

  void printJson(PrintWriter out, Object value) {
    out.println(Json.encode(value));
  }

  Map<String, String> env() {
    return context.env();
  }
}
