package io.ferry.contracts.schema;

import java.math.BigDecimal;
import java.math.BigInteger;

// A number (or, with integer, a number without fractional part) within min..max. Compared as BigDecimal
// so that large longs and decimals compare exactly.
record NumberNode(boolean required, boolean integer, BigDecimal min, BigDecimal max) implements SchemaNode {

  @Override
  public String check(Object value, ValuePath path, MatchBudget budget) {
    BigDecimal number = value instanceof Number n ? decimal(n) : null;
    if (number == null) {
      return path.violation(integer ? "must be an integer" : "must be a number");
    }
    if (integer && number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
      return path.violation("must be an integer");
    }
    if (min != null && number.compareTo(min) < 0) {
      return path.violation("must be at least " + text(min));
    }
    if (max != null && number.compareTo(max) > 0) {
      return path.violation("must be at most " + text(max));
    }
    return null;
  }

  /** The exact value of a JSON number, or {@code null} for NaN and infinities. */
  static BigDecimal decimal(Number number) {
    if (number instanceof BigDecimal decimal) {
      return decimal;
    }
    if (number instanceof BigInteger big) {
      return new BigDecimal(big);
    }
    if (number instanceof Double || number instanceof Float) {
      double value = number.doubleValue();
      return Double.isFinite(value) ? BigDecimal.valueOf(value) : null;
    }
    return BigDecimal.valueOf(number.longValue());
  }

  static String text(BigDecimal bound) {
    return bound.stripTrailingZeros().toPlainString();
  }
}
