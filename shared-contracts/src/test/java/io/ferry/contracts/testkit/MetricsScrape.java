package io.ferry.contracts.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code /metrics} response (Prometheus text format), read the way a dashboard's queries read it. */
public final class MetricsScrape {

  private record Sample(String name, String labels, double value) {
  }

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+).*$");

  private final List<Sample> samples = new ArrayList<>();

  private MetricsScrape(String text) {
    for (String line : text.split("\n")) {
      Matcher matcher = SAMPLE.matcher(line);
      if (!line.startsWith("#") && matcher.matches()) {
        samples.add(new Sample(matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2),
            Double.parseDouble(matcher.group(3))));
      }
    }
  }

  public static MetricsScrape of(String text) {
    return new MetricsScrape(text);
  }

  /** Every sample name in the scrape. */
  public Set<String> names() {
    Set<String> names = new HashSet<>();
    samples.forEach(sample -> names.add(sample.name()));
    return names;
  }

  /** The value of the one sample of {@code name} carrying every label of {@code labels}; empty if none. */
  public OptionalDouble value(String name, Map<String, String> labels) {
    OptionalDouble found = OptionalDouble.empty();
    for (Sample sample : samples) {
      if (sample.name().equals(name) && carries(sample, labels)) {
        if (found.isPresent()) {
          throw new IllegalStateException("more than one sample of " + name + " with " + labels);
        }
        found = OptionalDouble.of(sample.value());
      }
    }
    return found;
  }

  /** The value, or -1 when no such sample exists (handy inside Awaitility conditions). */
  public double valueOr(String name, Map<String, String> labels, double absent) {
    return value(name, labels).orElse(absent);
  }

  /** Whether any sample carries {@code label="value"}. */
  public boolean anyLabelled(String label, String value) {
    String wanted = label + "=\"" + value + "\"";
    return samples.stream().anyMatch(sample -> sample.labels().contains(wanted));
  }

  private static boolean carries(Sample sample, Map<String, String> labels) {
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (!sample.labels().contains(label.getKey() + "=\"" + label.getValue() + "\"")) {
        return false;
      }
    }
    return true;
  }
}
