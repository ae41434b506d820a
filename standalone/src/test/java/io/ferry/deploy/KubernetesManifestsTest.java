package io.ferry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What k8s/ must keep true: the cluster ports are reachable by Ferry pods only, no secret is committed, every
 * pod has the event-bus certificates, every JVM exits on OutOfMemoryError, and generate-secrets.sh produces a
 * CA and a member certificate that verify.
 */
class KubernetesManifestsTest {

  private static final Path K8S = Path.of(System.getProperty("basedir", "."), "..", "k8s").normalize();
  private static final Map<String, Object> FERRY_PODS = Map.of("app.kubernetes.io/part-of", "ferry");
  private static final String TLS_SECRET = "ferry-cluster-tls";
  private static final String POSTGRES_SECRET = "ferry-postgres";
  private static final List<String> DEPLOYMENTS = List.of("ferry-admin", "ferry-messaging", "ferry-dispatcher",
      "ferry-gateway");

  @Test
  void theNetworkPolicyAdmitsOnlyFerryPodsToTheClusterPortsAndAnyoneToHttp() throws Exception {
    Map<String, Object> config = map(only("ConfigMap").get("data"));
    int hazelcast = Integer.parseInt((String) config.get("FERRY_CLUSTER_PORT"));
    int bus = Integer.parseInt((String) config.get("FERRY_CLUSTER_BUS_PORT"));
    int http = Integer.parseInt((String) config.get("FERRY_HTTP_PORT"));
    assertEquals(List.of(5701, 5800, 8080), List.of(hazelcast, bus, http));

    Map<String, Object> spec = map(named("NetworkPolicy", "ferry").get("spec"));
    assertEquals(FERRY_PODS, map(map(spec.get("podSelector")).get("matchLabels")));
    assertTrue(list(spec.get("policyTypes")).contains("Ingress"));
    Set<Integer> fromFerryOnly = new HashSet<>();
    Set<Integer> fromAnyone = new HashSet<>();
    for (Object item : list(spec.get("ingress"))) {
      Map<String, Object> rule = map(item);
      List<Integer> ports = list(rule.get("ports")).stream().map(p -> (Integer) map(p).get("port")).toList();
      assertFalse(ports.isEmpty(), "a rule without ports opens every port: " + rule);
      if (rule.get("from") == null) {
        fromAnyone.addAll(ports);
      } else {
        for (Object peer : list(rule.get("from"))) {
          assertEquals(Map.of("podSelector", Map.of("matchLabels", FERRY_PODS)), peer, "peers of " + rule);
        }
        fromFerryOnly.addAll(ports);
      }
    }
    assertEquals(Set.of(hazelcast, bus), fromFerryOnly);
    assertEquals(Set.of(http), fromAnyone);

    for (Map<String, Object> deployment : all("Deployment")) {
      Map<String, Object> template = map(map(deployment.get("spec")).get("template"));
      Map<String, Object> labels = map(map(template.get("metadata")).get("labels"));
      assertEquals("ferry", labels.get("app.kubernetes.io/part-of"), "the policy selects " + name(deployment));
      for (Object container : list(map(template.get("spec")).get("containers"))) {
        Object httpPort = list(map(container).get("ports")).stream().map(KubernetesManifestsTest::map)
            .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow().get("containerPort");
        assertEquals(http, httpPort, name(deployment));
      }
    }
  }

  @Test
  void noSecretIsCommittedAndTheGeneratedOnesComeFromIgnoredFiles() throws Exception {
    for (Map<String, Object> document : documents()) {
      boolean literal = "Secret".equals(document.get("kind"))
          && (document.get("data") != null || document.get("stringData") != null);
      assertFalse(literal, "a committed Secret with data: " + name(document));
    }
    List<Map<String, Object>> generators = generators();
    assertEquals(Set.of("ferry-secrets", TLS_SECRET, POSTGRES_SECRET),
        Set.copyOf(generators.stream().map(g -> g.get("name")).toList()));
    for (Map<String, Object> generator : generators) {
      assertEquals(Set.of("name", "files"), generator.keySet(), "no literals or env files: " + generator);
      for (String file : generatedFiles(generator).values()) {
        assertTrue(file.startsWith("secrets/"), file);
      }
    }
    String ignored = Files.readString(K8S.resolve("../.gitignore"));
    assertTrue(ignored.lines().anyMatch(line -> line.equals("k8s/secrets/")), ignored);
  }

  @Test
  void everyDeploymentMountsTheBusCertificatesAndPointsTheTlsVariablesAtThem() throws Exception {
    Set<String> tlsKeys = generatedFiles(generators().stream()
        .filter(g -> TLS_SECRET.equals(g.get("name"))).findFirst().orElseThrow()).keySet();
    assertEquals(Set.of("ca.crt", "tls.crt", "tls.key"), tlsKeys);
    List<String> seen = new ArrayList<>();
    for (Map<String, Object> deployment : all("Deployment")) {
      seen.add(name(deployment));
      Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
      String volume = list(pod.get("volumes")).stream().map(KubernetesManifestsTest::map)
          .filter(v -> v.get("secret") != null && TLS_SECRET.equals(map(v.get("secret")).get("secretName")))
          .map(v -> (String) v.get("name")).findFirst().orElse(null);
      assertNotNull(volume, name(deployment) + " has no volume of " + TLS_SECRET);
      for (Object item : list(pod.get("containers"))) {
        Map<String, Object> container = map(item);
        String mountPath = list(container.get("volumeMounts")).stream().map(KubernetesManifestsTest::map)
            .filter(m -> volume.equals(m.get("name"))).map(m -> (String) m.get("mountPath")).findFirst()
            .orElse(null);
        assertNotNull(mountPath, name(deployment) + " does not mount " + volume);
        Map<String, Object> env = new java.util.HashMap<>();
        list(container.get("env")).forEach(e -> env.put((String) map(e).get("name"), map(e).get("value")));
        assertEquals(mountPath + "/tls.crt", env.get("FERRY_CLUSTER_TLS_CERT_FILE"), name(deployment));
        assertEquals(mountPath + "/tls.key", env.get("FERRY_CLUSTER_TLS_KEY_FILE"), name(deployment));
        assertEquals(mountPath + "/ca.crt", env.get("FERRY_CLUSTER_TLS_CA_FILE"), name(deployment));
      }
    }
    assertEquals(DEPLOYMENTS, seen);
  }

  @Test
  void adminAndMessagingReadThePostgresPasswordFromTheMountedSecretAndAdminRollsWithoutDowntime() throws Exception {
    Map<String, Object> config = map(only("ConfigMap").get("data"));
    assertEquals("postgres", config.get("FERRY_STORAGE_KIND"));
    String passwordFile = (String) config.get("FERRY_STORAGE_POSTGRES_PASSWORD_FILE");
    assertFalse(config.keySet().stream().anyMatch(key -> key.equals("FERRY_STORAGE_POSTGRES_PASSWORD")),
        "no password in the ConfigMap");
    for (String stateful : List.of("ferry-admin", "ferry-messaging")) {
      Map<String, Object> pod = map(map(map(named("Deployment", stateful).get("spec")).get("template")).get("spec"));
      String volume = list(pod.get("volumes")).stream().map(KubernetesManifestsTest::map)
          .filter(v -> v.get("secret") != null && POSTGRES_SECRET.equals(map(v.get("secret")).get("secretName")))
          .map(v -> (String) v.get("name")).findFirst().orElseThrow(() -> new AssertionError(stateful));
      Map<String, Object> container = map(list(pod.get("containers")).get(0));
      String mountPath = list(container.get("volumeMounts")).stream().map(KubernetesManifestsTest::map)
          .filter(m -> volume.equals(m.get("name"))).map(m -> (String) m.get("mountPath")).findFirst().orElseThrow();
      assertEquals(mountPath + "/password", passwordFile, stateful);
      assertFalse(list(pod.get("volumes")).stream().map(KubernetesManifestsTest::map)
          .anyMatch(v -> v.get("persistentVolumeClaim") != null), stateful + " keeps nothing on a local volume");
    }
    Map<String, Object> admin = map(named("Deployment", "ferry-admin").get("spec"));
    assertTrue((Integer) admin.get("replicas") >= 2, "admin runs several instances");
    assertEquals("RollingUpdate", map(admin.get("strategy")).get("type"));
    assertEquals(0, map(map(admin.get("strategy")).get("rollingUpdate")).get("maxUnavailable"));
    assertEquals(1, map(named("PodDisruptionBudget", "ferry-admin").get("spec")).get("minAvailable"));
  }

  @Test
  void theExamplePostgresIsReachableOnlyByTheStatefulServicesAndTakesItsPasswordFromTheSecret() throws Exception {
    Map<String, Object> pod = map(map(map(named("StatefulSet", "ferry-postgres").get("spec")).get("template"))
        .get("spec"));
    Map<String, Object> container = map(list(pod.get("containers")).get(0));
    Map<String, Object> env = new java.util.HashMap<>();
    list(container.get("env")).forEach(e -> env.put((String) map(e).get("name"), map(e).get("value")));
    assertFalse(env.containsKey("POSTGRES_PASSWORD"), "no literal password");
    assertTrue(((String) env.get("POSTGRES_PASSWORD_FILE")).startsWith("/etc/ferry/postgres/"));
    assertTrue(list(pod.get("volumes")).stream().map(KubernetesManifestsTest::map)
        .anyMatch(v -> v.get("secret") != null && POSTGRES_SECRET.equals(map(v.get("secret")).get("secretName"))));

    Map<String, Object> spec = map(named("NetworkPolicy", "ferry-postgres").get("spec"));
    assertEquals(Map.of("app.kubernetes.io/name", "ferry-postgres"), map(map(spec.get("podSelector")).get("matchLabels")));
    List<Object> rules = list(spec.get("ingress"));
    assertEquals(1, rules.size());
    assertEquals(List.of(Map.of("protocol", "TCP", "port", 5432)), list(map(rules.get(0)).get("ports")));
    assertEquals(List.of(Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "ferry-admin"))),
        Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "ferry-messaging")))),
        list(map(rules.get(0)).get("from")));
  }

  @Test
  void everyPodRunsAsAFixedNonRootUserWithAReadOnlyRootAndNoPrivileges() throws Exception {
    List<Map<String, Object>> workloads = new ArrayList<>(all("Deployment"));
    workloads.addAll(all("StatefulSet"));
    assertEquals(5, workloads.size());
    for (Map<String, Object> workload : workloads) {
      String name = name(workload);
      Map<String, Object> pod = map(map(map(workload.get("spec")).get("template")).get("spec"));
      Map<String, Object> security = map(pod.get("securityContext"));
      assertEquals(true, security.get("runAsNonRoot"), name);
      int uid = (Integer) security.get("runAsUser");
      assertTrue(uid > 0, name);
      assertEquals(uid, security.get("runAsGroup"), name);
      assertEquals(uid, security.get("fsGroup"), name + ": fsGroup makes the volumes writable by the user");
      assertEquals(Map.of("type", "RuntimeDefault"), security.get("seccompProfile"), name);
      if (!name.equals("ferry-postgres")) {
        assertEquals(imageUser(), uid, name + " runs as the Dockerfile's user");
      }
      Map<String, String> emptyDirs = new java.util.HashMap<>();
      list(pod.get("volumes")).stream().map(KubernetesManifestsTest::map).filter(v -> v.containsKey("emptyDir"))
          .forEach(v -> emptyDirs.put((String) v.get("name"), "emptyDir"));
      for (Object item : list(pod.get("containers"))) {
        Map<String, Object> container = map(item);
        Map<String, Object> own = map(container.get("securityContext"));
        assertEquals(false, own.get("allowPrivilegeEscalation"), name);
        assertEquals(true, own.get("readOnlyRootFilesystem"), name);
        assertEquals(Map.of("drop", List.of("ALL")), own.get("capabilities"), name);
        assertTrue(list(container.get("volumeMounts")).stream().map(KubernetesManifestsTest::map)
            .anyMatch(m -> "/tmp".equals(m.get("mountPath")) && emptyDirs.containsKey((String) m.get("name"))),
            name + " has a writable /tmp");
        Map<String, Object> resources = map(container.get("resources"));
        assertEquals(Set.of("cpu", "memory"), map(resources.get("requests")).keySet(), name);
        assertEquals(Set.of("cpu", "memory"), map(resources.get("limits")).keySet(), name);
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
          assertFalse(map(container.get(probe)).isEmpty(), name + " has a " + probe);
        }
        if (!name.equals("ferry-postgres")) {
          assertEquals("/health/live", map(map(container.get("startupProbe")).get("httpGet")).get("path"), name);
          assertEquals("/health/ready", map(map(container.get("readinessProbe")).get("httpGet")).get("path"), name);
          assertEquals("/health/live", map(map(container.get("livenessProbe")).get("httpGet")).get("path"), name);
        }
      }
    }
  }

  @Test
  void everyServiceRunsSeveralInstancesThatARolloutOrADrainNeverTakesAllOf() throws Exception {
    for (String name : DEPLOYMENTS) {
      Map<String, Object> spec = map(named("Deployment", name).get("spec"));
      assertTrue((Integer) spec.get("replicas") >= 2, name);
      assertEquals(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", 0, "maxSurge", 1)),
          spec.get("strategy"), name);
      Map<String, Object> budget = map(named("PodDisruptionBudget", name).get("spec"));
      int replicas = (Integer) spec.get("replicas");
      int mayBeDown = budget.containsKey("maxUnavailable") ? (Integer) budget.get("maxUnavailable")
          : replicas - (Integer) budget.get("minAvailable");
      assertTrue(mayBeDown >= 1 && mayBeDown < replicas, name + ": a drain may take one pod, never all: " + budget);
      assertEquals(map(spec.get("selector")), map(budget.get("selector")), name);
    }
    // A third instance, so that while one hands its shards over in a rollout, losing another still leaves one.
    assertTrue((Integer) map(named("Deployment", "ferry-messaging").get("spec")).get("replicas") >= 3);
  }

  @Test
  void everyPodKeepsServingBrieflyAfterItsStopIsAnnouncedAndTheDrainFitsTheGracePeriod() throws Exception {
    for (String name : DEPLOYMENTS) {
      Map<String, Object> pod = map(map(map(named("Deployment", name).get("spec")).get("template")).get("spec"));
      Map<String, Object> container = map(list(pod.get("containers")).get(0));
      List<Object> command = list(map(map(map(container.get("lifecycle")).get("preStop")).get("exec")).get("command"));
      assertEquals("sleep", command.get(0), name);
      int pause = Integer.parseInt((String) command.get(1));
      assertTrue(pause > 0, name);
      // FerryNode gives the drain 30 s after SIGTERM; the kubelet kills at the grace period, counted from preStop.
      assertTrue((Integer) pod.get("terminationGracePeriodSeconds") >= pause + 30, name);
    }
  }

  @Test
  void noManifestNamesANamespace() throws Exception {
    for (Map<String, Object> document : documents()) {
      assertFalse("Namespace".equals(document.get("kind")), "a Namespace object: " + name(document));
      assertFalse(document.containsKey("namespace"), "the kustomization sets a namespace");
      assertFalse(map(document.get("metadata")).containsKey("namespace"), name(document));
    }
    assertFalse(Files.readString(K8S.resolve("configmap.yaml")).contains(".svc.cluster.local"),
        "a fully qualified service name names the namespace");
  }

  @Test
  void theImageRunsJavaSoThatAnOutOfMemoryErrorEndsIt() throws Exception {
    String entrypoint = Files.readAllLines(K8S.resolveSibling("Dockerfile")).stream()
        .filter(line -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    List<Object> command = list(new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(entrypoint.substring("ENTRYPOINT".length())));
    assertEquals("java", command.get(0), entrypoint);
    int flag = command.indexOf("-XX:+ExitOnOutOfMemoryError");
    assertTrue(flag > 0 && flag < command.indexOf("-jar"), entrypoint);
  }

  @Test
  void generateSecretsWritesACaAndAMemberCertificateThatVerify(@TempDir Path out) throws Exception {
    assumeTrue(run(out, "openssl", "version").exitCode() == 0, "openssl is not installed");
    Result generated = run(out, "bash", K8S.resolve("generate-secrets.sh").toString(), out.toString());
    assertEquals(0, generated.exitCode(), generated.output());

    Result verified = run(out, "openssl", "verify", "-CAfile", "ca.crt", "tls.crt");
    assertEquals("tls.crt: OK", verified.output().strip());
    Result certKey = run(out, "openssl", "x509", "-in", "tls.crt", "-noout", "-pubkey");
    Result privateKey = run(out, "openssl", "pkey", "-in", "tls.key", "-pubout");
    assertEquals(certKey.output(), privateKey.output(), "tls.key belongs to tls.crt");
    String purposes = run(out, "openssl", "x509", "-in", "tls.crt", "-noout", "-ext", "extendedKeyUsage").output();
    assertTrue(purposes.contains("TLS Web Server Authentication") && purposes.contains("TLS Web Client "
        + "Authentication"), purposes);

    for (Map<String, Object> generator : generators()) {
      for (String file : generatedFiles(generator).values()) {
        Path written = out.resolve(file.substring("secrets/".length()));
        assertTrue(Files.size(written) > 0, file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)), file);
      }
    }
    String bootstrapKey = Files.readString(out.resolve("bootstrap-key"));
    assertTrue(bootstrapKey.matches("fry_[0-9a-f]{48}"), "no trailing newline, long enough");
    assertTrue(Files.readString(out.resolve("token-secret")).matches("[0-9a-f]{64}"));
    assertTrue(Files.readString(out.resolve("storage-secrets-key")).matches("[0-9a-f]{64}"));
    assertTrue(Files.readString(out.resolve("postgres-password")).matches("[0-9a-f]{48}"));

    assertEquals(0, run(out, "bash", K8S.resolve("generate-secrets.sh").toString(), out.toString()).exitCode());
    assertEquals(bootstrapKey, Files.readString(out.resolve("bootstrap-key")), "a re-run rotates nothing");
  }

  private static int imageUser() throws IOException {
    String user = Files.readAllLines(K8S.resolveSibling("Dockerfile")).stream()
        .filter(line -> line.startsWith("USER ")).reduce((first, last) -> last).orElseThrow();
    String[] uidAndGid = user.substring("USER ".length()).strip().split(":");
    assertEquals(uidAndGid[0], uidAndGid[uidAndGid.length - 1], "the image's group is its user's: " + user);
    return Integer.parseInt(uidAndGid[0]);
  }

  private record Result(int exitCode, String output) {
  }

  private static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      return new Result(127, notInstalled.getMessage());
    }
    try (InputStream output = process.getInputStream()) {
      String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
      return new Result(process.exitValue(), text);
    }
  }

  private static List<Map<String, Object>> documents() throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
          if (document != null) {
            documents.add(map(document));
          }
        }
      }
    }
    return documents;
  }

  private static List<Map<String, Object>> all(String kind) throws IOException {
    List<Map<String, Object>> found = documents().stream().filter(d -> kind.equals(d.get("kind"))).toList();
    List<Map<String, Object>> ordered = new ArrayList<>(found);
    ordered.sort((a, b) -> Integer.compare(order(name(a)), order(name(b))));
    return ordered;
  }

  private static int order(String name) {
    int index = DEPLOYMENTS.indexOf(name);
    return index < 0 ? Integer.MAX_VALUE : index;
  }

  private static Map<String, Object> only(String kind) throws IOException {
    List<Map<String, Object>> found = all(kind);
    assertEquals(1, found.size(), "one " + kind);
    return found.get(0);
  }

  private static Map<String, Object> named(String kind, String name) throws IOException {
    return all(kind).stream().filter(d -> name.equals(name(d))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static List<Map<String, Object>> generators() throws IOException {
    Map<String, Object> kustomization = documents().stream()
        .filter(d -> "Kustomization".equals(d.get("kind"))).findFirst().orElseThrow();
    return list(kustomization.get("secretGenerator")).stream().map(KubernetesManifestsTest::map).toList();
  }

  // key in the Secret → file it is read from
  private static Map<String, String> generatedFiles(Map<String, Object> generator) {
    Map<String, String> files = new java.util.LinkedHashMap<>();
    for (Object entry : list(generator.get("files"))) {
      String[] keyAndFile = ((String) entry).split("=", 2);
      files.put(keyAndFile[0], keyAndFile[keyAndFile.length - 1]);
    }
    return files;
  }

  private static String name(Map<String, Object> document) {
    return (String) map(document.get("metadata")).get("name");
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
