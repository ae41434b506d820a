package io.ferry.contracts.schema;

// One compiled node of a message schema. check() answers the first violation at or below path, or null.
interface SchemaNode {

  boolean required();

  String check(Object value, ValuePath path, MatchBudget budget);

  record BooleanNode(boolean required) implements SchemaNode {
    @Override
    public String check(Object value, ValuePath path, MatchBudget budget) {
      return value instanceof Boolean ? null : path.violation("must be a boolean");
    }
  }

  record AnyNode(boolean required) implements SchemaNode {
    @Override
    public String check(Object value, ValuePath path, MatchBudget budget) {
      return null;
    }
  }
}
