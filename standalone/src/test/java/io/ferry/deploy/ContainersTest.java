package io.ferry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the root Dockerfile and compose.yaml must keep true: every SERVICE the Dockerfile accepts copies the jar
 * its module builds, every compose service builds from that Dockerfile with a SERVICE it accepts, the proxy
 * routes exactly what k8s/ingress.yaml routes, the cluster services share one cluster configuration, no
 * password is written down and data lives on volumes.
 */
class ContainersTest {

  private static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").normalize();
  private static final Pattern JAR_CASE = Pattern.compile("^\\s*(\\w+)\\) jar=([\\w./-]+) ;;", Pattern.MULTILINE);
  private static final Pattern LOCATION = Pattern.compile(
      "location ~ \\^(\\S+) \\{\\s*proxy_pass http://(\\w+);");
  private static final Pattern UPSTREAM =
      Pattern.compile("upstream (\\w+) \\{\\s*server (\\w+):8080;\\s*keepalive \\d+;");
  private static final List<String> CLUSTER = List.of("admin", "messaging", "dispatcher", "gateway");

  @Test
  void everyServiceTheDockerfileAcceptsCopiesTheJarItsModuleBuilds() throws IOException {
    Map<String, String> jars = dockerfileJars();
    assertEquals(List.of("standalone", "admin", "messaging", "dispatcher", "gateway"), List.copyOf(jars.keySet()));
    for (Map.Entry<String, String> jar : jars.entrySet()) {
      Path path = Path.of(jar.getValue());
      String module = path.getName(0).toString();
      String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
      String built = pom.contains("<finalName>")
          ? between(pom, "<finalName>", "</finalName>") + ".jar"
          : between(pom, "<outputFile>", "</outputFile>")
              .replace("${project.build.directory}/", "")
              .replace("${project.artifactId}", between(pom.substring(pom.indexOf("</parent>")), "<artifactId>",
                  "</artifactId>"));
      assertEquals(Path.of(module, "target", built.replace("target/", "")), path, jar.getKey());
    }
    String entrypoint = Files.readAllLines(ROOT.resolve("Dockerfile")).stream()
        .filter(line -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    assertTrue(entrypoint.contains("\"-XX:+ExitOnOutOfMemoryError\", \"-XX:MaxRAMPercentage=75\", \"-jar\""),
        entrypoint);
    assertTrue(Files.readString(ROOT.resolve("Dockerfile")).contains("\nUSER 10001:10001\n"),
        "a numeric non-root user and group, the runAsUser and runAsGroup of k8s/");
  }

  @Test
  void theDockerfileBuildsFromSourceWithMavenAndRunsOnAJreOnly() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
    List<String> stages = lines.stream().filter(line -> line.startsWith("FROM ")).toList();
    assertEquals(2, stages.size(), "a build stage and a runtime stage: " + stages);
    assertTrue(stages.get(0).matches("FROM maven:3[.\\d]*-eclipse-temurin-17 AS build"), stages.get(0));
    assertEquals("FROM eclipse-temurin:17-jre", stages.get(1));
    assertTrue(lines.contains("COPY --from=build /service.jar /opt/ferry/service.jar"), "the runtime takes only the jar");
    String build = lines.stream().filter(line -> line.contains("mvn ")).findFirst().orElseThrow();
    assertTrue(build.contains("package") && build.contains("-DskipTests"), build);
  }

  @Test
  void everyComposeServiceOfFerryBuildsFromTheRootDockerfile() throws IOException {
    Map<String, String> jars = dockerfileJars();
    Map<String, Object> services = map(compose().get("services"));
    for (String name : List.of("standalone", "admin", "messaging", "dispatcher", "gateway")) {
      Map<String, Object> build = map(map(services.get(name)).get("build"));
      assertEquals(".", build.get("context"), name);
      assertEquals(null, build.get("dockerfile"), name + " uses the root Dockerfile");
      assertEquals(name, map(build.get("args")).get("SERVICE"), name);
      assertTrue(jars.containsKey(name), name);
    }
  }

  @Test
  void theProxyRoutesEveryIngressPathToTheSameService() throws IOException {
    Map<String, Object> ingress = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(ROOT.resolve("k8s/ingress.yaml")));
    Map<String, String> fromIngress = new LinkedHashMap<>();
    for (Object rule : list(map(ingress.get("spec")).get("rules"))) {
      for (Object item : list(map(map(rule).get("http")).get("paths"))) {
        Map<String, Object> path = map(item);
        String service = (String) map(map(map(path.get("backend")).get("service"))).get("name");
        fromIngress.put((String) path.get("path"), service.replace("ferry-", ""));
      }
    }
    Map<String, String> fromProxy = new LinkedHashMap<>();
    Matcher location = LOCATION.matcher(Files.readString(ROOT.resolve("deploy/compose/nginx.conf")));
    while (location.find()) {
      fromProxy.put(location.group(1), location.group(2));
    }
    assertFalse(fromIngress.isEmpty());
    assertEquals(List.copyOf(fromIngress.entrySet()), List.copyOf(fromProxy.entrySet()), "same routes, same order");
    // Every upstream a route names is its service, with connections kept open between requests.
    String config = Files.readString(ROOT.resolve("deploy/compose/nginx.conf"));
    Map<String, String> upstreams = new LinkedHashMap<>();
    Matcher upstream = UPSTREAM.matcher(config);
    while (upstream.find()) {
      upstreams.put(upstream.group(1), upstream.group(2));
    }
    for (String service : fromProxy.values()) {
      assertEquals(service, upstreams.get(service), "upstream " + service + " with keepalive: " + upstreams);
    }
    assertFalse(config.contains("close;"), "plain requests must not ask the upstream to close");
    Map<String, Object> proxy = map(map(compose().get("services")).get("proxy"));
    assertTrue(list(proxy.get("volumes")).contains("./deploy/compose/nginx.conf:/etc/nginx/conf.d/default.conf:ro"));
  }

  @Test
  void theClusterServicesShareOneClusterWithCertificatesAndPostgres() throws IOException {
    Map<String, Object> services = map(compose().get("services"));
    Map<String, Object> first = map(map(services.get(CLUSTER.get(0))).get("environment"));
    assertEquals(String.join(",", CLUSTER), first.get("FERRY_CLUSTER_MEMBERS"));
    assertEquals("postgres", first.get("FERRY_STORAGE_KIND"));
    for (String key : List.of("FERRY_CLUSTER_TLS_CERT_FILE", "FERRY_CLUSTER_TLS_KEY_FILE", "FERRY_CLUSTER_TLS_CA_FILE",
        "FERRY_STORAGE_POSTGRES_PASSWORD_FILE")) {
      assertTrue(first.containsKey(key), key);
    }
    for (String name : CLUSTER) {
      Map<String, Object> service = map(services.get(name));
      assertEquals(first, service.get("environment"), name);
      assertEquals(List.of("cluster"), service.get("profiles"), name);
      assertTrue(map(service.get("depends_on")).containsKey("secrets"), name);
    }
  }

  @Test
  void noPasswordIsWrittenDownAndDataLivesOnVolumes() throws IOException {
    Map<String, Object> compose = compose();
    Map<String, Object> services = map(compose.get("services"));
    for (Map.Entry<String, Object> service : services.entrySet()) {
      Object environment = map(service.getValue()).get("environment");
      if (environment instanceof Map<?, ?> variables) {
        for (Map.Entry<?, ?> variable : variables.entrySet()) {
          String key = variable.getKey().toString();
          boolean secret = key.contains("PASSWORD") || key.contains("KEY") || key.contains("SECRET");
          assertTrue(!secret || key.endsWith("_FILE"), service.getKey() + " sets " + key + " literally");
        }
      } else {
        for (Object variable : list(environment == null ? List.of() : environment)) {
          assertFalse(variable.toString().contains("="), service.getKey() + " sets " + variable + " literally");
        }
      }
    }
    assertEquals(List.of("ferry-data:/var/lib/ferry/data"), map(services.get("standalone")).get("volumes"));
    assertTrue(list(map(services.get("postgres")).get("volumes")).contains("ferry-postgres:/var/lib/postgresql/data"));
    assertTrue(map(compose.get("volumes")).keySet().containsAll(List.of("ferry-data", "ferry-postgres",
        "ferry-cluster-secrets")));
    assertTrue(Files.readString(ROOT.resolve("Dockerfile")).contains("\nVOLUME /var/lib/ferry/data\n"));
  }

  private static Map<String, String> dockerfileJars() throws IOException {
    Map<String, String> jars = new LinkedHashMap<>();
    Matcher jar = JAR_CASE.matcher(Files.readString(ROOT.resolve("Dockerfile")));
    while (jar.find()) {
      jars.put(jar.group(1), jar.group(2));
    }
    return jars;
  }

  private static Map<String, Object> compose() throws IOException {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ROOT.resolve("compose.yaml")));
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
