package io.jpair.examples.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A README code block that quotes an example: a fenced {@code java} block whose first line is a
 * comment naming the file it quotes, relative to the repository root, as in
 *
 * <pre>
 * ```java
 * // jpair-examples/src/main/java/io/jpair/examples/Sniffer.java
 * package io.jpair.examples;
 * ...
 * ```
 * </pre>
 *
 * The lines after that comment must be the file, line for line.
 *
 * @param path the quoted file, relative to the repository root
 * @param line the README line number (from 1) of the naming comment
 * @param body the block's lines after the naming comment
 */
public record ReadmeQuote(String path, int line, List<String> body) {
    private static final Pattern NAMING_COMMENT = Pattern.compile("// (jpair-examples/\\S+\\.java)");

    /**
     * The quoting blocks of a Markdown text; other code blocks are not quotes.
     *
     * @param markdown the README
     * @return the quotes, in order
     */
    public static List<ReadmeQuote> in(String markdown) {
        List<String> lines = markdown.lines().toList();
        List<ReadmeQuote> quotes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```java") || i + 1 == lines.size()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).equals("```")) {
                end++;
            }
            Matcher naming = NAMING_COMMENT.matcher(lines.get(i + 1));
            if (naming.matches()) {
                quotes.add(new ReadmeQuote(naming.group(1), i + 2, lines.subList(i + 2, end)));
            }
            i = end;
        }
        return quotes;
    }

    /**
     * How this quote differs from the file's text.
     *
     * @param source the quoted file's content
     * @return the first difference (README line, file line, both texts), or {@code null} if the
     *     quote is the whole file
     */
    public String differenceFrom(String source) {
        List<String> file = source.lines().toList();
        for (int i = 0; i < Math.max(file.size(), body.size()); i++) {
            String quoted = i < body.size() ? body.get(i) : null;
            String actual = i < file.size() ? file.get(i) : null;
            if (quoted == null || !quoted.equals(actual)) {
                return "README.md:" + (line + 1 + i) + " quotes " + path + ":" + (i + 1) + " as "
                    + (quoted == null ? "(end of block)" : "\"" + quoted + "\"") + " but the file has "
                    + (actual == null ? "(end of file)" : "\"" + actual + "\"");
            }
        }
        return null;
    }
}
