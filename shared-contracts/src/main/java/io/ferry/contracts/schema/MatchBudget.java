package io.ferry.contracts.schema;

// Bounds the regular-expression work of one validation: the matcher reads the text through a CharSequence
// that counts every character read and gives up past the budget. Backtracking is what makes a pattern
// expensive, and every backtracking step reads the text again, so this bounds the time too.
final class MatchBudget {

  static final class Exhausted extends RuntimeException {
    Exhausted() {
      super("regular expression budget exhausted", null, false, false);
    }
  }

  private static final Exhausted EXHAUSTED = new Exhausted();

  private long remaining;

  MatchBudget(long steps) {
    this.remaining = steps;
  }

  CharSequence guard(String text) {
    return new Guarded(text, 0, text.length());
  }

  private final class Guarded implements CharSequence {
    private final String text;
    private final int start;
    private final int end;

    Guarded(String text, int start, int end) {
      this.text = text;
      this.start = start;
      this.end = end;
    }

    @Override
    public int length() {
      return end - start;
    }

    @Override
    public char charAt(int index) {
      if (--remaining < 0) {
        throw EXHAUSTED;
      }
      return text.charAt(start + index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
      return new Guarded(text, start + from, start + to);
    }

    @Override
    public String toString() {
      return text.substring(start, end);
    }
  }
}
