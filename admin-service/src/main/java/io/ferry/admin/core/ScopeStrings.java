package io.ferry.admin.core;

import io.ferry.contracts.auth.CanonicalScopes;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The scope strings a key or token carries, in the one spelling every check understands: each as
 * {@code resource:access:target}, except that a grant of everything is {@code "*"} and a grant of every
 * Sonya route is {@code "sonya"} (what the Sonya routes' exact-scope check looks for).
 */
public final class ScopeStrings {

  private ScopeStrings() {
  }

  /** The canonical spelling of a scope string, or {@code null} when it is not a {@link Scope}. */
  public static String canonical(String text) {
    return CanonicalScopes.of(text);
  }

  /** Canonical, without duplicates, in first-seen order; strings that are not scopes are dropped. */
  public static List<String> canonical(Collection<String> texts) {
    return CanonicalScopes.of(texts);
  }

  /** The scopes among {@code wanted} that {@code holder} does not itself hold (empty: it covers them all). */
  public static List<String> notCoveredBy(Principal holder, Collection<String> wanted) {
    List<String> missing = new ArrayList<>();
    for (String text : wanted) {
      Scope scope = Scope.parse(text);
      // A wildcard part is covered only by a wildcard grant, so nobody hands on more than they hold.
      if (scope == null || !holder.allows(scope.resource(), scope.access(), scope.target())) {
        missing.add(text);
      }
    }
    return missing;
  }
}
