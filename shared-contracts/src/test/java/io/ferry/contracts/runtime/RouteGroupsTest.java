package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routes answer as they did on one router although each request is matched only against the routes of its
 * path's shape: trailing slashes, 404 for other shapes, 405 when another method owns the path, and a route's
 * own failure handler before the dialect's error; within a shape, routes with a parameter where others have
 * fixed text keep their place among them, and a route meets only paths that have its fixed segments.
 */
class RouteGroupsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static FerryNode node;

  @BeforeAll
  static void start() throws Exception {
    NodeConfig config = NodeConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("http.instances"), "1")), 0);
    node = FerryNode.startLocal("route groups test", config, List.of(new ShapesModule()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aRouteTakesItsPathWithOrWithoutAFinalSlash() throws Exception {
    HttpResponse<String> plain = send("GET", "/shapes/a");
    assertEquals(200, plain.statusCode(), plain.body());
    assertEquals("one:a", new JsonObject(plain.body()).getString("route"));
    assertEquals("one:b", new JsonObject(send("GET", "/shapes/b/").body()).getString("route"));
    assertEquals("parts:c", new JsonObject(send("POST", "/shapes/c/parts").body()).getString("route"));
  }

  @Test
  void aRouteWithAParameterLastTakesAnyLastSegmentInItsOrder() throws Exception {
    // Registered before the fixed ".../summary" route, so it answers for that path too, as on one router.
    assertEquals("view:a:summary", new JsonObject(send("GET", "/kinds/a/summary").body()).getString("route"));
    assertEquals("view:a:other", new JsonObject(send("GET", "/kinds/a/other/").body()).getString("route"));
    assertEquals("summary:a", new JsonObject(send("POST", "/kinds/a/summary").body()).getString("route"));
    assertEquals(405, send("DELETE", "/kinds/a/summary").statusCode());
    assertEquals(405, send("POST", "/kinds/a/other").statusCode());
  }

  @Test
  void aRouteMeetsOnlyPathsWithItsFixedSegmentsWhereverTheyAre() throws Exception {
    assertEquals("x:1:2", route("GET", "/deep/1/x/2"));
    assertEquals("x-put:1:2", route("PUT", "/deep/1/x/2"));
    assertEquals("y:1", route("POST", "/deep/1/y/last/"));
    assertEquals("kind:1:y", route("GET", "/deep/1/y/other"));
    // Both ".../x/:b" and ".../:kind/other" take this path: the one registered first answers.
    assertEquals("x:1:other", route("GET", "/deep/1/x/other"));
    assertEquals("kind:1:x", route("POST", "/deep/1/x/other"));
    assertEquals(405, send("DELETE", "/deep/1/x/2").statusCode());
    assertEquals(405, send("GET", "/deep/1/y/last").statusCode());
    assertEquals(405, send("POST", "/deep/1/x/last").statusCode());
    for (String path : List.of("/deep/1/z/last", "/deep/1/Y/last", "/deep/1/yy/last", "/deep/1//last")) {
      assertEquals(404, send("POST", path).statusCode(), path);
    }
  }

  @Test
  void pathsOfNoRoutesShapeAreNotFound() throws Exception {
    for (String path : List.of("/shapes", "/shapes/a/parts/b/c", "/other/a", "/shapes/a/unknown", "/")) {
      assertEquals(404, send("GET", path).statusCode(), path);
    }
  }

  @Test
  void aPathOwnedByAnotherMethodIsMethodNotAllowed() throws Exception {
    assertEquals(405, send("GET", "/shapes/a/parts").statusCode());
    assertEquals(405, send("DELETE", "/shapes/a").statusCode());
    assertEquals(405, send("POST", "/health/live").statusCode());
  }

  @Test
  void aRoutesOwnFailureHandlerRunsBeforeTheErrorIsWritten() throws Exception {
    HttpResponse<String> failed = send("GET", "/shapes/a/parts/b");
    assertEquals(400, failed.statusCode(), failed.body());
    assertEquals("b", failed.headers().firstValue("X-Part-Failure").orElse(null));
  }

  private static String route(String method, String path) throws Exception {
    HttpResponse<String> response = send(method, path);
    assertEquals(200, response.statusCode(), method + " " + path + ": " + response.body());
    return new JsonObject(response.body()).getString("route");
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static final class ShapesModule extends BareModule {

    @Override
    public String name() {
      return "shapes";
    }

    @Override
    public void mountRoutes(Vertx vertx, Router router) {
      router.get("/shapes/:id").handler(ctx -> ctx.json(new JsonObject().put("route", "one:" + ctx.pathParam("id"))));
      router.post("/shapes/:id/parts").handler(ctx -> ctx.json(
          new JsonObject().put("route", "parts:" + ctx.pathParam("id"))));
      router.get("/kinds/:id/:view").handler(ctx -> ctx.json(
          new JsonObject().put("route", "view:" + ctx.pathParam("id") + ":" + ctx.pathParam("view"))));
      router.post("/kinds/:id/summary").handler(ctx -> ctx.json(
          new JsonObject().put("route", "summary:" + ctx.pathParam("id"))));
      router.get("/deep/:a/x/:b").handler(ctx -> ctx.json(
          new JsonObject().put("route", "x:" + ctx.pathParam("a") + ":" + ctx.pathParam("b"))));
      router.put("/deep/:a/x/:b").handler(ctx -> ctx.json(
          new JsonObject().put("route", "x-put:" + ctx.pathParam("a") + ":" + ctx.pathParam("b"))));
      router.post("/deep/:a/y/last").handler(ctx -> ctx.json(new JsonObject().put("route", "y:" + ctx.pathParam("a"))));
      router.route("/deep/:a/:kind/other").handler(ctx -> ctx.json(
          new JsonObject().put("route", "kind:" + ctx.pathParam("a") + ":" + ctx.pathParam("kind"))));
      router.get("/shapes/:id/parts/:part")
          .handler(ctx -> ctx.fail(new FerryException(ErrorCode.INVALID_FIELD, "part refused")))
          .failureHandler(ctx -> {
            ctx.response().putHeader("X-Part-Failure", ctx.pathParam("part"));
            ctx.next();
          });
    }
  }
}
