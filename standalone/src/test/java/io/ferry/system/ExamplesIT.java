package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs each example under examples/ as its README tells a user to, against one started standalone jar, and
 * checks what it prints: the JavaScript ones with the machine's Node.js and their locked npm dependencies, the
 * Java one compiled by Maven (offline: its dependencies are the build's own) and run on this test's classpath.
 */
class ExamplesIT {

  private static final String KEY = "fry_examples-test-bootstrap-key";
  private static final Duration RUN = Duration.ofSeconds(30);
  private static final HttpJson http = new HttpJson(KEY);

  private static Path dir;
  private static FerryProcess ferry;
  private static Map<String, String> env;

  @BeforeAll
  static void startFerry() throws Exception {
    NodeExamples.requireNode();
    dir = Files.createTempDirectory("ferry-examples-");
    // Short listen tokens, so that the browser tail's token expires (close 1008) and it resumes within the test.
    ferry = FerryProcess.start("examples", "ferry.standalone.jar", dir.resolve("ferry"), Ports.free(),
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY, "FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8",
            "FERRY_AUTH_SONYA_TOKEN_TTL_SECONDS", "2"));
    for (String example : List.of("cloudflare-sdk", "webhook-receiver", "browser-tail")) {
      NodeExamples.install(example);
    }
    ferry.awaitReady(Duration.ofSeconds(90));
    env = Map.of("FERRY_URL", ferry.baseUrl(), "FERRY_KEY", KEY);
  }

  @AfterAll
  static void stopFerry() throws Exception {
    if (ferry != null) {
      ferry.close();
    }
  }

  @Test
  void cloudflareSdkProducerPushesWhatTheConsumerPullsAndAcks() throws Exception {
    Path example = NodeExamples.install("cloudflare-sdk");
    String produced = NodeExamples.start(example, env, "producer.js").awaitSuccess(RUN);
    assertTrue(produced.contains("pushed 3 messages to orders-sdk"), produced);
    String consumed = NodeExamples.start(example, env, "consumer.js").awaitSuccess(RUN);
    for (int order = 1; order <= 3; order++) {
      assertTrue(consumed.matches("(?s).*received \\w+ attempt 1: \\{\"order\":" + order + ",\"run\":\\d+}.*"),
          consumed);
    }
    assertTrue(consumed.contains("acked 3 messages"), consumed);
    String again = NodeExamples.start(example, env, "consumer.js").awaitSuccess(RUN);
    assertTrue(again.contains("no messages waiting"), "the acked messages came back:\n" + again);
  }

  @Test
  void webhookReceiverVerifiesSignedDeliveriesAndRejectsForgedOnes() throws Exception {
    Path example = NodeExamples.install("webhook-receiver");
    int port = Ports.free();
    Map<String, String> receiverEnv = new HashMap<>(env);
    receiverEnv.put("PORT", Integer.toString(port));
    try (NodeExamples.Running receiver = NodeExamples.start(example, receiverEnv, "receiver.js")) {
      Awaitility.await("receiver registered").atMost(RUN).until(() -> outputOf(receiver, "ready for deliveries"));
      String queueId = http.get(ferry.baseUrl() + "/v1/queues").object().getJsonArray("queues").stream()
          .map(JsonObject.class::cast)
          .filter(queue -> "invoices-hooks".equals(queue.getString("name"))).findFirst().orElseThrow()
          .getString("id");
      HttpJson.Reply pushed = http.post(ferry.baseUrl() + "/v1/queues/" + queueId + "/messages",
          new JsonObject().put("data", new JsonObject().put("invoice", 7)));
      assertEquals(200, pushed.status(), pushed::toString);
      String messageId = pushed.object().getJsonObject("message").getString("id");
      Awaitility.await("signed delivery").atMost(RUN).until(() -> outputOf(receiver,
          "signature verified: " + messageId + " attempt 1 queue invoices-hooks data {\"invoice\":7}"));

      HttpResponse<String> forged = http.client().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/hook"))
          .header("webhook-id", "msg_forged").header("webhook-timestamp",
              Long.toString(System.currentTimeMillis() / 1000))
          .header("webhook-signature", "v1,bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsIQ==")
          .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"invoice\":666}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, forged.statusCode());
      Awaitility.await("forgery rejected").atMost(RUN).until(() -> outputOf(receiver, "rejected msg_forged"));
      // The forged body as the receiver would print it had it accepted it: "666" alone also turns up in the
      // random hex of ids it prints (a listener id of ...b66698... failed this once).
      assertFalse(receiver.output().contains("{\"invoice\":666}"), receiver.output());
    }
  }

  @Test
  void browserTailResumesAfterItsTokenExpiresWithoutGapsOrDuplicates() throws Exception {
    Path example = NodeExamples.install("browser-tail");
    String queue = "examples-live";
    List<Long> sent = new ArrayList<>();
    try (NodeExamples.Running tail = NodeExamples.start(example, env, "follow.js", queue, "ticker", "first")) {
      Awaitility.await("tail connected").atMost(RUN).until(() -> outputOf(tail, "connected (from first)"));
      // Sends until the tail has resumed after a token expiry, then a few more, at a pace a ticker would.
      Awaitility.await("tail resumed").atMost(RUN).pollInterval(Duration.ofMillis(100)).until(() -> {
        sent.add(send(queue, sent.size()));
        return outputOf(tail, "resumed from sequence");
      });
      for (int i = 0; i < 5; i++) {
        sent.add(send(queue, sent.size()));
      }
      long last = sent.get(sent.size() - 1);
      Awaitility.await("last message tailed").atMost(RUN)
          .until(() -> outputOf(tail, "message " + last + " {\"n\":" + (sent.size() - 1) + "}"));
      assertEquals(sent, tailed(tail.output()), tail.output());
    }
  }

  @Test
  void javaClientCompilesAndPushesAndPulls() throws Exception {
    Path project = NodeExamples.sources().resolve("java-client");
    Process mvn = new ProcessBuilder("mvn", "-B", "-o", "-q", "-f", project.resolve("pom.xml").toString(), "compile")
        .redirectErrorStream(true).redirectOutput(dir.resolve("java-client-build.log").toFile()).start();
    assertTrue(mvn.waitFor(2, TimeUnit.MINUTES), "mvn compile of examples/java-client did not finish");
    assertEquals(0, mvn.exitValue(), () -> read(dir.resolve("java-client-build.log")));
    // Its one dependency, the Vert.x web client, is also Ferry's: this test's classpath provides it.
    Path log = dir.resolve("java-client.log");
    ProcessBuilder run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", project.resolve("target/classes") + java.io.File.pathSeparator + System.getProperty("java.class.path"),
        "io.ferry.examples.PushAndPull").redirectErrorStream(true).redirectOutput(log.toFile());
    run.environment().keySet().removeIf(key -> key.startsWith("FERRY_"));
    run.environment().putAll(env);
    Process client = run.start();
    assertTrue(client.waitFor(1, TimeUnit.MINUTES), () -> read(log));
    String output = read(log);
    assertEquals(0, client.exitValue(), output);
    assertTrue(output.contains("pushed 3 messages to orders-java"), output);
    assertTrue(output.contains(": {\"order\":3}"), output);
    assertTrue(output.contains("acked 3 messages"), output);
  }

  private static long send(String queue, int n) throws Exception {
    HttpJson.Reply reply = http.post(ferry.baseUrl() + "/queue/send/" + queue,
        new JsonObject().put("id", "ticker").put("payload", new JsonObject().put("n", n)));
    assertEquals(200, reply.status(), reply::toString);
    return reply.object().getLong("sequence");
  }

  private static List<Long> tailed(String output) {
    List<Long> sequences = new ArrayList<>();
    Matcher line = Pattern.compile("(?m)^message (\\d+) ").matcher(output);
    while (line.find()) {
      sequences.add(Long.parseLong(line.group(1)));
    }
    return sequences;
  }

  private static boolean outputOf(NodeExamples.Running running, String text) {
    if (!running.process().isAlive() && !running.output().contains(text)) {
      throw new AssertionError("exited with " + running.process().exitValue() + ":\n" + running.output());
    }
    return running.output().contains(text);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
