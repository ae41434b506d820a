package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.AdminModule;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.contracts.runtime.ServedRoutes;
import io.ferry.contracts.runtime.ServiceModule;
import io.ferry.contracts.testkit.ContractHttp;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.OpenApiContract;
import io.ferry.dispatcher.DispatcherModule;
import io.ferry.gateway.GatewayModule;
import io.ferry.messaging.MessagingModule;
import io.ferry.standalone.StandaloneConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /openapi.yaml is the contract of what a process serves: a real OpenAPI parser accepts it, it documents every
 * route each module's router and the standalone's combined router serve and nothing else, and the answers of
 * a flow across the three dialects (errors included) validate against it.
 */
class OpenApiContractTest {

  static final String KEY = "openapi-contract-test-bootstrap-key-0123456789";

  private static Path dataDir;
  private static FerryNode node;
  private static List<ServiceModule> modules;
  private static String base;
  private static final HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startFerry() throws Exception {
    dataDir = Files.createTempDirectory("ferry-openapi-");
    StandaloneConfig config = StandaloneConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("storage.data-dir"), dataDir.toString(),
        ConfigReader.envName("auth.bootstrap-key"), KEY,
        ConfigReader.envName("webhooks.allow-list"), "127.0.0.0/8")));
    modules = List.of(AdminModule.create(config.admin()), MessagingModule.create(config.messaging()),
        DispatcherModule.create(config.dispatcher()), GatewayModule.create(config.gateway()));
    node = Futures.await(FerryNode.startLocal("Ferry", config.node(), modules), Duration.ofSeconds(60));
    base = "http://127.0.0.1:" + node.httpPort();
  }

  @AfterAll
  static void stopFerry() throws Exception {
    if (node != null) {
      Futures.await(node.stop(), Duration.ofSeconds(30));
    }
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void theServedDocumentPassesAnOpenApiParserAndLintWithAnOperationIdAndDeclaredParametersEverywhere() throws Exception {
    OpenApiContract contract = ContractHttp.of(base).contract();
    List<String> parser = contract.parserMessages();
    List<String> operations = contract.operationProblems();
    List<String> lint = contract.lint();
    System.out.println("openapi.yaml: swagger-parser 2.1.48, " + contract.operationCount() + " operations, errors="
        + (parser.size() + operations.size()) + "; Redocly-style lint: " + lint.size() + " problems");
    assertEquals(List.of(), parser, "swagger-parser");
    assertEquals(List.of(), operations, "operations");
    assertEquals(List.of(), lint, "lint");
  }

  @Test
  void everyServedRouteIsDocumentedAndEveryDocumentedOperationServedPerModuleAndCombined() {
    List<String> problems = new ArrayList<>();
    for (ServiceModule module : modules) {
      problems.addAll(coverage(module.name(), List.of(module)));
    }
    problems.addAll(coverage("standalone", modules));
    assertEquals(List.of(), problems, () -> String.join("\n", problems));
  }

  private static List<String> coverage(String who, List<ServiceModule> hosted) {
    TreeSet<String> served = new TreeSet<>(ServedRoutes.of(node.vertx(), hosted));
    OpenApiContract contract = OpenApiContract.parse(ServedRoutes.openApi("coverage", hosted).encode());
    TreeSet<String> documented = new TreeSet<>(contract.routes());
    List<String> problems = new ArrayList<>();
    for (String route : served) {
      if (!documented.contains(route)) {
        problems.add(who + " serves " + route + " but its OpenAPI fragment does not document it");
      }
    }
    for (String route : documented) {
      if (!served.contains(route)) {
        problems.add(who + " documents " + route + " but serves no such route");
      }
    }
    return problems;
  }

  @Test
  void openApiYamlIsShownNotDownloadedAndHeadIsAnswered() throws Exception {
    HttpResponse<String> get = raw("GET", "/openapi.yaml");
    assertEquals(200, get.statusCode());
    assertEquals("application/yaml; charset=utf-8", get.headers().firstValue("Content-Type").orElse(""));
    assertFalse(get.headers().firstValue("Content-Disposition").orElse("").contains("attachment"), get::toString);
    HttpResponse<String> head = raw("HEAD", "/openapi.yaml");
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertEquals(Integer.toString(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
        head.headers().firstValue("Content-Length").orElse(""));
    HttpResponse<String> docsHead = raw("HEAD", "/docs");
    assertEquals(200, docsHead.statusCode());
    assertEquals("", docsHead.body());
  }

  @Test
  void docsIsSwaggerUiFromTheServerUnderAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = raw("GET", "/docs");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page::toString);
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self';") && csp.contains("default-src 'none'"), csp);
    assertTrue(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(page.body()).results().findAny().isEmpty(),
        "an inline script would be refused by the policy: " + page.body());
    assertFalse(page.body().contains("http://") || page.body().contains("https://"), page.body());
    for (String asset : List.of("docs/swagger-ui-bundle.js", "docs/start.js", "docs/swagger-ui.css")) {
      assertTrue(page.body().contains("\"" + asset + "\""), asset + " in " + page.body());
      HttpResponse<String> file = raw("GET", "/" + asset);
      assertEquals(200, file.statusCode(), asset);
      assertFalse(file.body().isEmpty(), asset);
    }
    assertTrue(raw("GET", "/docs/start.js").body().contains("url: 'openapi.yaml'"));
    assertEquals(404, raw("GET", "/docs/pom.xml").statusCode());
  }

  @Test
  void aFlowAcrossTheThreeDialectsAnswersAsTheDocumentSays() throws Exception {
    ContractHttp http = ContractHttp.of(base);
    ContractFlow.run(http, KEY);
    System.out.println("validated against /openapi.yaml: " + http.checked().size() + " responses");
  }

  private static HttpResponse<String> raw(String method, String path) throws Exception {
    return raw.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
