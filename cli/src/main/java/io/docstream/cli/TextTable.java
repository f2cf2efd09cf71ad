package io.docstream.cli;

import java.util.List;

/** Rows as plain-text columns: each as wide as its widest value, two spaces apart, no trailing blanks. */
public final class TextTable {

    private TextTable() {
    }

    /** The rows (the first is usually the header), one line each, every line starting with {@code indent}. */
    public static String render(List<List<String>> rows, String indent) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] + 2 - row.get(i).length()));
                }
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }
}
