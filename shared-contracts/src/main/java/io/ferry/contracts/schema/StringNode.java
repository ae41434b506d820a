package io.ferry.contracts.schema;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

// A string: its length in code points within min..max, one of enum (kept in declaration order for the
// message), and pattern found in it.
record StringNode(boolean required, Integer min, Integer max, Pattern pattern, Set<String> allowed)
    implements SchemaNode {

  private static final int LISTED_VALUES = 10;

  @Override
  public String check(Object value, ValuePath path, MatchBudget budget) {
    if (!(value instanceof String text)) {
      return path.violation("must be a string");
    }
    if (min != null || max != null) {
      int length = text.codePointCount(0, text.length());
      if (min != null && length < min) {
        return path.violation("must be at least " + min + " characters long");
      }
      if (max != null && length > max) {
        return path.violation("must be at most " + max + " characters long");
      }
    }
    if (allowed != null && !allowed.contains(text)) {
      return path.violation("must be one of " + listed());
    }
    if (pattern != null) {
      try {
        if (!pattern.matcher(budget.guard(text)).find()) {
          return path.violation("does not match pattern " + pattern.pattern());
        }
      } catch (MatchBudget.Exhausted tooCostly) {
        return path.violation("is too costly to match against pattern " + pattern.pattern());
      } catch (StackOverflowError deepRecursion) {
        // Java's regex engine recurses per repetition of some groups: a long string can exhaust the stack.
        return path.violation("is too long to match against pattern " + pattern.pattern());
      }
    }
    return null;
  }

  private String listed() {
    List<String> first = new ArrayList<>(LISTED_VALUES);
    for (String candidate : allowed) {
      if (first.size() == LISTED_VALUES) {
        break;
      }
      first.add(candidate);
    }
    String text = new JsonArray(first).encode();
    return allowed.size() <= LISTED_VALUES ? text
        : text.substring(0, text.length() - 1) + ",...] (" + allowed.size() + " values)";
  }
}
