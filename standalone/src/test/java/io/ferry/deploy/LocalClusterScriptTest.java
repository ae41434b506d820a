package io.ferry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/local/cluster's proxy routes what k8s/ingress.yaml routes, in the same order, to every instance of
 * the service, and nginx accepts the configuration. Starting the whole cluster is too slow for the default run.
 */
class LocalClusterScriptTest {

  private static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").normalize();
  private static final Path SCRIPT = ROOT.resolve("deploy/local/cluster");
  private static final Pattern LOCATION = Pattern.compile(
      "location ~ \"\\^([^\"]+)\" \\{\\s*proxy_pass http://ferry-(\\w+);");
  private static final Pattern UPSTREAM = Pattern.compile("upstream ferry-(\\w+) \\{([^}]*)}");
  private static final Pattern KEEPALIVE = Pattern.compile("(?m)^\\s*keepalive [1-9][0-9]*;");
  private static final Pattern CONNECTION_MAP = Pattern.compile(
      "map \\$http_upgrade \\$connection_upgrade \\{\\s*default (\\S+);\\s*''\\s+(\\S+);\\s*}");

  @Test
  void theProxyRoutesEveryIngressPathInTheIngressOrderToEveryInstance(@TempDir Path dir) throws Exception {
    String config = proxyConfig(dir, "--instances", "3");
    List<List<String>> fromProxy = new ArrayList<>();
    Matcher location = LOCATION.matcher(config);
    while (location.find()) {
      fromProxy.add(List.of(location.group(1), location.group(2)));
    }
    assertEquals(ingressRoutes(), fromProxy);

    Map<String, List<String>> servers = upstreamServers(config);
    assertEquals(List.of("admin", "messaging", "dispatcher", "gateway"), List.copyOf(servers.keySet()));
    servers.forEach((service, ports) ->
        assertEquals("messaging".equals(service) ? 1 : 3, ports.size(), service + ": " + ports));
    assertTrue(config.contains("listen 127.0.0.1:18090;"), config);
  }

  @Test
  void messagingRoutesAreSpreadOverEveryMessagingInstanceOnPortsOfTheirOwn(@TempDir Path dir) throws Exception {
    String config = proxyConfig(dir, "--instances", "2", "--messaging", "3");
    Map<String, List<String>> servers = upstreamServers(config);
    assertEquals(3, servers.get("messaging").size(), config);
    assertEquals(2, servers.get("admin").size(), config);
    List<String> every = servers.values().stream().flatMap(List::stream).toList();
    assertEquals(every.size(), every.stream().distinct().count(), "one port per instance: " + every);
  }

  @Test
  void upstreamConnectionsAreKeptAliveWhileWebSocketUpgradesStillPassThrough(@TempDir Path dir) throws Exception {
    String config = proxyConfig(dir, "--instances", "2", "--messaging", "3");
    Matcher upstream = UPSTREAM.matcher(config);
    int upstreams = 0;
    while (upstream.find()) {
      upstreams++;
      assertTrue(KEEPALIVE.matcher(upstream.group(2)).find(), "keepalive in upstream ferry-" + upstream.group(1));
    }
    assertEquals(4, upstreams, config);
    assertTrue(config.contains("proxy_http_version 1.1;"), config);
    // A plain request must not send "Connection: close" upstream, or nginx opens a connection per request.
    Matcher map = CONNECTION_MAP.matcher(config);
    assertTrue(map.find(), config);
    assertEquals("upgrade", map.group(1));
    assertEquals("''", map.group(2));
    assertTrue(config.contains("proxy_set_header Upgrade $http_upgrade;"), config);
    assertTrue(config.contains("proxy_set_header Connection $connection_upgrade;"), config);
  }

  @Test
  void aMessagingCountThatIsNotAPositiveNumberIsRefused(@TempDir Path dir) throws Exception {
    for (String count : List.of("0", "two", "-1")) {
      Result result = run("bash", SCRIPT.toString(), "proxy-config", "--dir", dir.toString(), "--messaging", count);
      assertEquals(2, result.exitCode(), result.output());
      assertTrue(result.output().contains("positive number"), result.output());
    }
  }

  @Test
  void nginxAcceptsTheGeneratedConfiguration(@TempDir Path dir) throws Exception {
    Path nginx = Stream.of("/usr/sbin/nginx", "/usr/bin/nginx").map(Path::of).filter(Files::isExecutable)
        .findFirst().orElse(null);
    if (nginx == null) {
      String message = "nginx is not installed: apt-get install nginx-light";
      if ("1".equals(System.getenv("FERRY_TEST_NGINX_REQUIRED"))) {
        throw new IllegalStateException(message);
      }
      System.err.println("SKIPPED: " + message);
      Assumptions.abort(message);
    }
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("nginx/tmp"));
    Path config = dir.resolve("nginx/nginx.conf");
    Files.writeString(config, proxyConfig(dir, "--instances", "2", "--messaging", "2"));
    Result checked = run(nginx.toString(), "-t", "-e", dir.resolve("logs/error.log").toString(), "-c",
        config.toString());
    assertEquals(0, checked.exitCode(), checked.output());
    assertTrue(checked.output().contains("test is successful"), checked.output());
  }

  @Test
  void helpNamesEveryCommandAndAnUnknownOneIsRefused() throws Exception {
    Result help = run("bash", SCRIPT.toString(), "--help");
    assertEquals(0, help.exitCode(), help.output());
    for (String command : List.of("start", "stop", "status", "proxy-config", "--instances", "--messaging",
        "--postgres-url")) {
      assertTrue(help.output().contains(command), command + " in " + help.output());
    }
    assertEquals(2, run("bash", SCRIPT.toString(), "launch").exitCode());
  }

  private static List<List<String>> ingressRoutes() throws IOException {
    Map<String, Object> ingress = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(ROOT.resolve("k8s/ingress.yaml")));
    List<List<String>> routes = new ArrayList<>();
    for (Object rule : list(map(ingress.get("spec")).get("rules"))) {
      for (Object item : list(map(map(rule).get("http")).get("paths"))) {
        Map<String, Object> path = map(item);
        String service = (String) map(map(map(path.get("backend")).get("service"))).get("name");
        routes.add(List.of((String) path.get("path"), service.replace("ferry-", "")));
      }
    }
    assertTrue(routes.size() > 1, "routes in k8s/ingress.yaml");
    return routes;
  }

  private static String proxyConfig(Path dir, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "proxy-config", "--dir",
        dir.toString(), "--port", "18090"));
    command.addAll(List.of(options));
    Result result = run(command.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.output());
    return result.output();
  }

  private static Map<String, List<String>> upstreamServers(String config) {
    Map<String, List<String>> servers = new LinkedHashMap<>();
    Matcher upstream = UPSTREAM.matcher(config);
    while (upstream.find()) {
      servers.put(upstream.group(1), upstream.group(2).lines().map(String::strip)
          .filter(line -> line.startsWith("server 127.0.0.1:")).toList());
    }
    return servers;
  }

  private record Result(int exitCode, String output) {
  }

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (InputStream output = process.getInputStream()) {
      String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
      return new Result(process.exitValue(), text);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }
}
