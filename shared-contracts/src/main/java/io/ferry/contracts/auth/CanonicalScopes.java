package io.ferry.contracts.auth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one spelling of scope strings every check understands: each as {@code resource:access:target},
 * except that a grant of everything is {@code "*"} and a grant of every Sonya route is {@code "sonya"} (what
 * the Sonya routes' exact-scope check looks for).
 */
public final class CanonicalScopes {

  private CanonicalScopes() {
  }

  /** The canonical spelling of a scope string, or {@code null} when it is not a {@link Scope}. */
  public static String of(String text) {
    Scope scope = Scope.parse(text);
    if (scope == null) {
      return null;
    }
    boolean everyAccessAndTarget = Scope.ANY.equals(scope.access()) && Scope.ANY.equals(scope.target());
    if (everyAccessAndTarget && Scope.ANY.equals(scope.resource())) {
      return Principal.ALL;
    }
    if (everyAccessAndTarget && Scope.SONYA.equals(scope.resource())) {
      return Principal.SONYA;
    }
    return scope.toString();
  }

  /** Canonical, without duplicates, in first-seen order; strings that are not scopes are dropped. */
  public static List<String> of(Collection<String> texts) {
    Set<String> result = new LinkedHashSet<>();
    for (String text : texts) {
      String canonical = of(text);
      if (canonical != null) {
        result.add(canonical);
      }
    }
    return List.copyOf(result);
  }
}
