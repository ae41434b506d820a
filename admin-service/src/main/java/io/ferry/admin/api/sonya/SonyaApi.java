package io.ferry.admin.api.sonya;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.SonyaService;
import java.util.List;

/** Sonya's admin routes: queue administration and generate_jwt. */
public final class SonyaApi {

  private SonyaApi() {
  }

  public static List<Routes> routes(QueueService queues, SonyaService sonya) {
    return List.of(new QueueRoutes(queues, sonya), new TokenRoutes(sonya));
  }
}
