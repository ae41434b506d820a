package io.ferry.admin.api;

import io.ferry.contracts.runtime.Authentication;
import io.vertx.ext.web.Router;

/** The HTTP routes of one dialect and resource. */
public interface Routes {

  /**
   * Mounts the routes on {@code router}, each behind {@code authentication} (the router's one instance,
   * which resolves the caller once per request) and its own authorisation.
   */
  void mount(Router router, Authentication authentication);
}
