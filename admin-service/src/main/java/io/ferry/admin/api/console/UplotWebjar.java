package io.ferry.admin.api.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

// Where the uPlot webjar keeps its built files: the folder names the version, read from the webjar itself so
// that the version is pinned in one place (the parent pom).
final class UplotWebjar {

  private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  private UplotWebjar() {
  }

  static String distFolder() {
    try (InputStream in = UplotWebjar.class.getClassLoader().getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException("the uPlot webjar is not on the class path (" + POM_PROPERTIES + ")");
      }
      Properties properties = new Properties();
      properties.load(in);
      return "META-INF/resources/webjars/uplot/" + properties.getProperty("version") + "/dist/";
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + POM_PROPERTIES, e);
    }
  }
}
