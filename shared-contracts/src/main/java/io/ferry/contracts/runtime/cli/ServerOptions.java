package io.ferry.contracts.runtime.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** Where the running Ferry is and how to authenticate; shared by every operator command. */
public final class ServerOptions {

  @Option(names = "--url", paramLabel = "URL", description = "Ferry's base URL (env FERRY_URL, default "
      + "http://127.0.0.1:8080)")
  String url;

  @Option(names = "--key", paramLabel = "KEY", description = "API key or token (env FERRY_KEY); never printed")
  String key;

  @Option(names = "--json", description = "machine output: one JSON document")
  boolean json;

  FerryClient client(Map<String, String> env) {
    String base = url != null ? url : env.getOrDefault("FERRY_URL", "http://127.0.0.1:8080");
    return new FerryClient(base, key != null ? key : env.get("FERRY_KEY"));
  }
}
