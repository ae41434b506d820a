package io.ferry.admin.api.cloudflare;

import io.ferry.contracts.runtime.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

// Cloudflare's numbered pages: ?page (from 1) and ?per_page.
final class Pages {

  static final int MAX_PER_PAGE = 1_000;

  private Pages() {
  }

  static int page(RoutingContext ctx) {
    return RequestBody.queryInteger(ctx, "page", 1, Integer.MAX_VALUE, 1);
  }

  static int perPage(RoutingContext ctx, int defaultValue) {
    return RequestBody.queryInteger(ctx, "per_page", 1, MAX_PER_PAGE, defaultValue);
  }

  // Page {@code page} of {@code all}; empty past the end.
  static <T> List<T> slice(List<T> all, int page, int perPage) {
    long from = Math.min((long) (page - 1) * perPage, all.size());
    return all.subList((int) from, (int) Math.min(from + perPage, all.size()));
  }
}
