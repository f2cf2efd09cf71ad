package io.docstream.query.search;

import static io.docstream.schemas.db.Tables.DOCUMENTS;

import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Keyword answers from PostgreSQL's full-text index ({@code documents.search_vector}, title weighted above body)
 * for when the search index cannot answer at all: DESIGN section 7 serves these, flagged degraded, rather than
 * an error. One entry per document, its body standing in for a chunk ({@link #BODY_CHUNK}), ranked by
 * {@code ts_rank_cd}. Any of the
 * query's words may match, as with BM25: the words are joined with {@code or} for
 * {@code websearch_to_tsquery}, which never fails on user syntax (quotes and leading minus signs are dropped
 * so no word turns into a phrase or an exclusion). Filters match metadata values as
 * text, as the search index does. Always within the tenant.
 */
final class FullTextFallback {

    /** The chunk index of the body that stands in for a document's chunks. */
    static final int BODY_CHUNK = -1;

    /** Enough of the body for a snippet; the document endpoint has the rest. */
    private static final int TEXT_CHARACTERS = 4_000;

    private final DSLContext dsl;

    FullTextFallback(DSLContext dsl) {
        this.dsl = dsl;
    }

    static String anyWord(String text) {
        return Arrays.stream(text.replace('"', ' ').strip().split("\\s+"))
                .map(word -> word.replaceFirst("^-+", ""))
                .filter(word -> !word.isEmpty() && !word.equalsIgnoreCase("or"))
                .collect(Collectors.joining(" or "));
    }

    List<RankedDocument> search(IndexQuery query, String text) {
        Field<Object> tsQuery = DSL.field("websearch_to_tsquery('english', {0})", Object.class, DSL.val(anyWord(text)));
        Field<Float> rank = DSL.field("ts_rank_cd({0}, {1})", Float.class, DOCUMENTS.SEARCH_VECTOR, tsQuery);
        List<Condition> conditions = new ArrayList<>();
        conditions.add(DOCUMENTS.TENANT_ID.eq(query.tenant()));
        conditions.add(DOCUMENTS.DELETED.isFalse());
        conditions.add(DSL.condition("{0} @@ {1}", DOCUMENTS.SEARCH_VECTOR, tsQuery));
        for (Map.Entry<String, String> filter : query.filters().entrySet()) {
            conditions.add(DSL.condition("{0} ->> {1} = {2}", DOCUMENTS.METADATA, DSL.val(filter.getKey()),
                    DSL.val(filter.getValue())));
        }
        return dsl.select(DOCUMENTS.DOCUMENT_ID, DOCUMENTS.VERSION, DOCUMENTS.TITLE,
                        DSL.substring(DOCUMENTS.BODY, 1, TEXT_CHARACTERS), rank)
                .from(DOCUMENTS)
                .where(conditions)
                .orderBy(rank.desc(), DOCUMENTS.DOCUMENT_ID)
                .limit(query.k())
                .fetch(row -> {
                    float score = row.value5() == null ? 0f : row.value5();
                    return new RankedDocument(row.value1(), row.value3(), row.value2(), score,
                            new IndexHit(row.value1(), BODY_CHUNK, row.value2(), row.value3(), row.value4(), score, 1));
                });
    }
}
