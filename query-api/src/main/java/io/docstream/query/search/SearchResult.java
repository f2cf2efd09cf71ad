package io.docstream.query.search;

/** One document in a search answer. */
record SearchResult(String id, String title, String snippet, double score, long version) {
}
