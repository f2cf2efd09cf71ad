package io.docstream.query.search;

import java.util.Locale;

/**
 * A short, readable excerpt of a chunk: whitespace collapsed, cut at word boundaries, and moved to
 * the first place a query term appears when the chunk is longer than the snippet.
 */
final class Snippets {

    static final int MAX_LENGTH = 240;
    private static final int LEAD = 60;
    private static final String ELLIPSIS = "…";

    private Snippets() {
    }

    /** The excerpt of {@code text}, without the document title the first chunk opens with. */
    static String of(String text, String title, String query) {
        String clean = withoutLeadingTitle(text.strip(), title).replaceAll("\\s+", " ");
        if (clean.length() <= MAX_LENGTH) {
            return clean;
        }
        int start = wordStart(clean, Math.max(0, firstMatch(clean, query) - LEAD));
        int end = Math.min(clean.length(), start + MAX_LENGTH - (start > 0 ? 1 : 0) - 1);
        if (end < clean.length()) {
            int space = clean.lastIndexOf(' ', end);
            if (space > start) {
                end = space;
            }
        }
        return (start > 0 ? ELLIPSIS : "") + clean.substring(start, end).strip()
                + (end < clean.length() ? ELLIPSIS : "");
    }

    private static String withoutLeadingTitle(String text, String title) {
        if (title == null || title.isBlank() || !text.startsWith(title.strip())) {
            return text;
        }
        String rest = text.substring(title.strip().length()).strip();
        return rest.isEmpty() ? text : rest;
    }

    private static int firstMatch(String text, String query) {
        String lower = text.toLowerCase(Locale.ROOT);
        int first = Integer.MAX_VALUE;
        for (String term : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (term.length() >= 3) {
                int at = lower.indexOf(term);
                if (at >= 0 && at < first) {
                    first = at;
                }
            }
        }
        return first == Integer.MAX_VALUE ? 0 : first;
    }

    private static int wordStart(String text, int from) {
        if (from == 0) {
            return 0;
        }
        int space = text.indexOf(' ', from);
        return space < 0 ? from : space + 1;
    }
}
