package io.ferry.admin.api.console;

import io.ferry.admin.api.Routes;
import io.ferry.contracts.runtime.Authentication;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The web console (docs/console.md): static files only, {@code /} redirecting to it. The pages hold no
 * data and need no credential; they call the public APIs with the key the user signs in with.
 */
public final class ConsoleRoutes implements Routes {

  private static final Pattern PLAIN_HOST =
      Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

  private final ConsoleAssets own = new ConsoleAssets("console/");
  private final ConsoleAssets charts = new ConsoleAssets(UplotWebjar.distFolder());

  @Override
  public void mount(Router router, Authentication authentication) {
    router.get("/").handler(ctx -> redirect(ctx, "/console/"));
    // Exact routes (one file name per folder), so they keep the router's grouping by path shape.
    router.get("/console").handler(this::index);
    router.get("/console/:file").handler(ctx -> serve(ctx, own, "", false));
    router.get("/console/views/:file").handler(ctx -> serve(ctx, own, "views", false));
    router.get("/console/vendor/:file").handler(ctx -> serve(ctx, charts, "", true));
  }

  // Matches /console and /console/; relative links in the page need the final slash.
  private void index(RoutingContext ctx) {
    if (ctx.request().path().endsWith("/")) {
      serve(ctx, own, "", "index.html", false);
    } else {
      redirect(ctx, "/console/");
    }
  }

  private void serve(RoutingContext ctx, ConsoleAssets assets, String folder, boolean versioned) {
    serve(ctx, assets, folder, ctx.pathParam("file"), versioned);
  }

  private void serve(RoutingContext ctx, ConsoleAssets assets, String folder, String file, boolean versioned) {
    assets.find(ctx.vertx(), folder, file).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.next();
        return;
      }
      ConsoleAssets.Asset asset = found.get();
      HttpServerResponse response = ctx.response();
      secure(ctx);
      response.putHeader(HttpHeaders.ETAG, asset.etag())
          // The console's own files change with each Ferry version under the same names: revalidate each
          // time (a 304 when unchanged). The chart library's files are those of one pinned version.
          .putHeader(HttpHeaders.CACHE_CONTROL, versioned ? "public, max-age=86400" : "no-cache");
      if (asset.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
        response.setStatusCode(304).end();
      } else {
        response.putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType()).end(asset.body());
      }
    }).onFailure(ctx::fail);
  }

  // Scripts and styles from this origin only, no inline script, no framing, and connections to this origin
  // (plus its WebSocket form, which older browsers do not count as 'self').
  private static void secure(RoutingContext ctx) {
    String host = ctx.request().getHeader(HttpHeaders.HOST);
    String sockets = host != null && PLAIN_HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
    ctx.response()
        .putHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'" + sockets + "; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").end();
  }
}
