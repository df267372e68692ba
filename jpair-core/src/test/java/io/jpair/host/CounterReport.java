package io.jpair.host;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * {@link IpHost#counters()} as the soak and fuzz runs print it: one line per layer (the name's
 * first part, e.g. {@code ethernet}), zero counters left out, so that no line of the test output
 * runs to kilobytes.
 *
 * <pre>
 *   ethernet: delivered=1442159 drop.NOT_FOR_US=87039 received=1572568
 *   ipv4: delivered=40 received=41
 * </pre>
 */
final class CounterReport {
    private CounterReport() {
    }

    /**
     * The report: one line per layer with a non-zero counter, each line starting with
     * {@code indent}, layers and counters in name order; {@code "(all zero)"} when none is.
     *
     * @param counters counter name to value, names dotted as {@code layer.counter}
     * @param indent the text in front of every line
     * @return the lines, joined by {@code \n}, with no trailing newline
     */
    static String of(Map<String, Long> counters, String indent) {
        Map<String, StringJoiner> layers = new TreeMap<>();
        new TreeMap<>(counters).forEach((name, value) -> {
            if (value != 0) {
                int dot = name.indexOf('.');
                String layer = dot < 0 ? name : name.substring(0, dot);
                String counter = dot < 0 ? "total" : name.substring(dot + 1);
                layers.computeIfAbsent(layer, l -> new StringJoiner(" ", indent + l + ": ", ""))
                    .add(counter + "=" + value);
            }
        });
        if (layers.isEmpty()) {
            return indent + "(all zero)";
        }
        StringJoiner lines = new StringJoiner("\n");
        layers.values().forEach(line -> lines.add(line.toString()));
        return lines.toString();
    }
}
