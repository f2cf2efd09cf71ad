package io.docstream.cli.eval;

import io.docstream.search.chunking.Chunk;
import io.docstream.search.chunking.Chunker;
import io.docstream.embedding.onnx.OnnxEmbedder;
import io.docstream.search.TextAnalysis;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CombinedFieldQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Offline exploration of ranking designs on a BEIR collection, with the production chunker, analyzer and
 * model: keyword variants (chunk-level or document-level, one field, per-field sums or BM25F), dense
 * aggregations of a document's chunk similarities (exact cosine), and fusions of the two. It decides
 * which designs are worth building; the figures that count come from {@code ./docstream eval}. Chunk
 * vectors are cached on disk by model and chunk hash, so a second run embeds nothing.
 *
 * <pre>
 * ./mvnw -q -pl cli test-compile
 * ./mvnw -q -pl cli dependency:build-classpath -Dmdep.outputFile=/tmp/cli.cp -Dmdep.includeScope=test
 * java -cp cli/target/test-classes:cli/target/classes:$(cat /tmp/cli.cp) io.docstream.cli.eval.RankingSweep \
 *     DATASET_DIR MODEL CACHE_DIR
 * </pre>
 *
 * Lines {@code RESULT name nDCG@10 Recall@100 MRR@10} hold every variant; {@code -Ddump=NAME} also prints each
 * query's rank of its relevant document for one variant, and {@code -Dadapter=true} first measures keyword
 * retrieval through the production Lucene adapter on the same documents.
 */
public final class RankingSweep {

    private static final int CANDIDATES = 100;
    private static final PrintStream out = System.out;

    private final BeirDataset data;
    private final List<BeirDataset.Query> queries;
    private final List<String> docIds = new ArrayList<>();
    /** Per document its chunk vectors in chunk order. */
    private final List<float[][]> chunkVectors = new ArrayList<>();
    private final List<float[]> titleVectors = new ArrayList<>();
    private final List<float[]> queryVectors = new ArrayList<>();
    private final List<List<String>> chunkTexts = new ArrayList<>();

    private RankingSweep(BeirDataset data, List<BeirDataset.Query> queries) {
        this.data = data;
        this.queries = queries;
    }

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args[0]);
        String model = args[1];
        Path cache = Path.of(args[2]);
        JsonMapper mapper = JsonMapper.builder().build();
        BeirDataset data = BeirDataset.read(BeirDataset.locate(dataset, IllegalArgumentException::new), mapper,
                IllegalArgumentException::new);
        RankingSweep sweep = new RankingSweep(data, data.judgedQueries());
        sweep.embed(model, cache);
        if (Boolean.getBoolean("adapter")) {
            sweep.adapter(model);
        }
        sweep.run();
    }

    private void embed(String model, Path cacheDir) throws IOException {
        OnnxEmbedder embedder = OnnxEmbedder.forModel(model);
        Chunker chunker = Chunker.sizedFor(embedder, Integer.getInteger("chunk.max", 200),
                Integer.getInteger("chunk.overlap", 32));
        Files.createDirectories(cacheDir);
        Path cacheFile = cacheDir.resolve(model + ".vectors");
        Map<String, float[]> cache = readCache(cacheFile);
        List<List<Chunk>> chunked = new ArrayList<>();
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        Map<String, String> textByHash = new HashMap<>();
        for (BeirDataset.Document document : data.corpus()) {
            String text = document.title().isEmpty() ? document.text() : document.title() + "\n" + document.text();
            List<Chunk> chunks = chunker.chunk(text);
            chunked.add(chunks);
            for (Chunk chunk : chunks) {
                textByHash.put(chunk.hash(), chunk.text());
                if (!cache.containsKey(chunk.hash())) {
                    missing.add(chunk.hash());
                }
            }
            String titleKey = "title:" + document.title();
            if (!document.title().isBlank() && !cache.containsKey(titleKey)) {
                missing.add(titleKey);
                textByHash.put(titleKey, document.title());
            }
        }
        long chunkCount = chunked.stream().mapToLong(List::size).sum();
        out.printf(Locale.ROOT, "%d documents, %d chunks (%.1f per document), %d texts to embed%n",
                data.corpus().size(), chunkCount, (double) chunkCount / data.corpus().size(), missing.size());
        List<String> todo = new ArrayList<>(missing);
        long started = System.nanoTime();
        for (int from = 0; from < todo.size(); from += 64) {
            List<String> keys = todo.subList(from, Math.min(todo.size(), from + 64));
            List<float[]> vectors = embedder.embedDocuments(keys.stream().map(textByHash::get).toList());
            for (int i = 0; i < keys.size(); i++) {
                cache.put(keys.get(i), vectors.get(i));
            }
            if ((from / 64) % 20 == 0) {
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf(Locale.ROOT, "  embedded %d/%d (%.0f texts/s)%n", from + keys.size(), todo.size(),
                        (from + keys.size()) / seconds);
                writeCache(cacheFile, cache);
            }
        }
        if (!todo.isEmpty()) {
            out.printf(Locale.ROOT, "embedded %d texts in %.1f s%n", todo.size(), (System.nanoTime() - started) / 1e9);
            writeCache(cacheFile, cache);
        }
        for (int d = 0; d < data.corpus().size(); d++) {
            BeirDataset.Document document = data.corpus().get(d);
            docIds.add(document.id());
            List<Chunk> chunks = chunked.get(d);
            chunkVectors.add(chunks.stream().map(chunk -> cache.get(chunk.hash())).toArray(float[][]::new));
            chunkTexts.add(chunks.stream().map(Chunk::text).toList());
            titleVectors.add(document.title().isBlank() ? null : cache.get("title:" + document.title()));
        }
        for (BeirDataset.Query query : queries) {
            queryVectors.add(embedder.embedQuery(query.text()));
        }
    }

    /** The production Lucene adapter on the same documents: keyword and dense rankings through the port. */
    private void adapter(String model) throws IOException {
        Path directory = Files.createTempDirectory("sweep-lucene");
        try (io.docstream.search.lucene.LuceneSearchIndex index =
                new io.docstream.search.lucene.LuceneSearchIndex(directory)) {
            List<io.docstream.search.IndexWrite> writes = new ArrayList<>();
            for (int d = 0; d < data.corpus().size(); d++) {
                BeirDataset.Document document = data.corpus().get(d);
                List<io.docstream.search.IndexedChunk> chunks = new ArrayList<>();
                for (int c = 0; c < chunkTexts.get(d).size(); c++) {
                    chunks.add(new io.docstream.search.IndexedChunk(c, chunkTexts.get(d).get(c), "h" + d + "-" + c,
                            chunkVectors.get(d)[c]));
                }
                writes.add(new io.docstream.search.IndexWrite.Replace("t", document.id(), 1, document.title(),
                        document.text(), Map.of(), model, chunks));
                if (writes.size() == 32) {
                    index.write(writes);
                    writes.clear();
                }
            }
            index.write(writes);
            Map<String, Integer> position = new HashMap<>();
            for (int d = 0; d < docIds.size(); d++) {
                position.put(docIds.get(d), d);
            }
            List<List<Scored>> rankings = new ArrayList<>();
            for (BeirDataset.Query query : queries) {
                rankings.add(index.searchKeyword(new io.docstream.search.IndexQuery("t", CANDIDATES, Map.of()),
                        query.text()).stream().map(hit -> new Scored(position.get(hit.documentId()), hit.score())).toList());
            }
            Result result = measure("adapter keyword", rankings);
            out.printf(Locale.ROOT, "RESULT\t%s\t%.4f\t%.4f\t%.4f%n", result.name, result.ndcg, result.recall, result.mrr);
        }
    }

    private void run() throws IOException {
        Map<String, List<List<Scored>>> keyword = keywordVariants();
        Map<String, List<List<Scored>>> dense = denseVariants();
        List<Result> results = new ArrayList<>();
        keyword.forEach((name, rankings) -> results.add(measure("keyword " + name, rankings)));
        dense.forEach((name, rankings) -> results.add(measure("dense " + name, rankings)));
        java.util.Set<String> fusedKeyword = java.util.Set.of("doc-one-field-k1.2b0.9");
        java.util.Set<String> fusedDense = java.util.Set.of("max", "max-first4", "max-len0.02", "max-len0.03",
                "max-len0.05", "max-lensd0.5", "max-lensd0.75", "max-lensd1.0", "max-lensd1.5", "max-decay0.04");
        for (var k : keyword.entrySet()) {
            if (!fusedKeyword.contains(k.getKey())) {
                continue;
            }
            for (var d : dense.entrySet()) {
                if (!fusedDense.contains(d.getKey())) {
                    continue;
                }
                for (int rankConstant : new int[] {10, 30, 60}) {
                    results.add(measure("rrf" + rankConstant + " " + k.getKey() + " + " + d.getKey(),
                            fuse(k.getValue(), d.getValue(), (kw, dn) -> rrf(kw, dn, rankConstant))));
                }
                for (double denseWeight : new double[] {0.5, 0.6, 0.7}) {
                    results.add(measure(String.format(Locale.ROOT, "minmax%.2f %s + %s", denseWeight, k.getKey(),
                            d.getKey()), fuse(k.getValue(), d.getValue(),
                                    (kw, dn) -> weighted(kw, dn, denseWeight, RankingSweep::minMax))));
                    results.add(measure(String.format(Locale.ROOT, "zscore%.2f %s + %s", denseWeight, k.getKey(),
                            d.getKey()), fuse(k.getValue(), d.getValue(),
                                    (kw, dn) -> weighted(kw, dn, denseWeight, RankingSweep::zScore))));
                    results.add(measure(String.format(Locale.ROOT, "maxnorm%.2f %s + %s", denseWeight, k.getKey(),
                            d.getKey()), fuse(k.getValue(), d.getValue(),
                                    (kw, dn) -> weighted(kw, dn, denseWeight, RankingSweep::maxNorm))));
                }
            }
        }
        for (Result result : results) {
            out.printf(Locale.ROOT, "RESULT\t%s\t%.4f\t%.4f\t%.4f%n", result.name, result.ndcg, result.recall,
                    result.mrr);
        }
        out.println("Best 40 by nDCG@10:");
        results.stream().sorted(Comparator.comparingDouble((Result r) -> r.ndcg).reversed()).limit(40)
                .forEach(r -> out.printf(Locale.ROOT, "  %.4f  R@100 %.4f  %s%n", r.ndcg, r.recall, r.name));
    }

    // ---- keyword

    private Map<String, List<List<Scored>>> keywordVariants() throws IOException {
        Map<String, List<List<Scored>>> variants = new LinkedHashMap<>();
        try (ByteBuffersDirectory directory = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(TextAnalysis.analyzer()))) {
                for (int d = 0; d < data.corpus().size(); d++) {
                    BeirDataset.Document document = data.corpus().get(d);
                    Document doc = new Document();
                    doc.add(new StoredField("doc", d));
                    doc.add(new TextField("kind", "document", Field.Store.NO));
                    doc.add(new TextField("title", document.title(), Field.Store.NO));
                    doc.add(new TextField("body", document.text(), Field.Store.NO));
                    doc.add(new TextField("all", document.title() + "\n" + document.text(), Field.Store.NO));
                    writer.addDocument(doc);
                    List<String> texts = chunkTexts.get(d);
                    for (int c = 0; c < texts.size(); c++) {
                        Document chunk = new Document();
                        chunk.add(new StoredField("doc", d));
                        chunk.add(new TextField("kind", "chunk", Field.Store.NO));
                        chunk.add(new TextField("ctitle", document.title(), Field.Store.NO));
                        chunk.add(new TextField("ctext", texts.get(c), Field.Store.NO));
                        writer.addDocument(chunk);
                    }
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                variants.put("chunk-fields-sum", keyword(searcher, "chunk", terms -> perField(terms, "ctext", "ctitle",
                        2.0f)));
                variants.put("chunk-text", keyword(searcher, "chunk", terms -> oneField(terms, "ctext")));
                variants.put("doc-fields-sum", keyword(searcher, "document", terms -> perField(terms, "body", "title",
                        2.0f)));
                variants.put("doc-one-field", keyword(searcher, "document", terms -> oneField(terms, "all")));
                for (float titleWeight : new float[] {1f, 2f, 3f}) {
                    variants.put("doc-bm25f" + (int) titleWeight, keyword(searcher, "document",
                            terms -> combined(terms, titleWeight)));
                }
                for (float[] params : new float[][] {{1.2f, 0.5f}, {1.2f, 0.85f}, {1.2f, 0.9f}, {1.2f, 0.95f},
                        {1.2f, 1.0f}, {0.9f, 0.9f}, {1.5f, 0.9f}, {2.0f, 0.9f}}) {
                    IndexSearcher tuned = new IndexSearcher(reader);
                    tuned.setSimilarity(new org.apache.lucene.search.similarities.BM25Similarity(params[0], params[1]));
                    String suffix = "-k" + params[0] + "b" + params[1];
                    variants.put("doc-one-field" + suffix, keyword(tuned, "document", terms -> oneField(terms, "all")));
                    variants.put("doc-bm25f2" + suffix, keyword(tuned, "document", terms -> combined(terms, 2f)));
                }
            }
        }
        return variants;
    }

    private List<List<Scored>> keyword(IndexSearcher searcher, String kind,
            java.util.function.Function<List<String>, Query> shape) throws IOException {
        List<List<Scored>> rankings = new ArrayList<>();
        for (BeirDataset.Query query : queries) {
            List<String> terms = new ArrayList<>(new LinkedHashSet<>(TextAnalysis.terms(query.text())));
            if (terms.isEmpty()) {
                rankings.add(List.of());
                continue;
            }
            Query q = new BooleanQuery.Builder()
                    .add(shape.apply(terms), Occur.MUST)
                    .add(new TermQuery(new Term("kind", kind)), Occur.FILTER)
                    .build();
            ScoreDoc[] hits = searcher.search(q, kind.equals("chunk") ? CANDIDATES * 4 : CANDIDATES).scoreDocs;
            Map<Integer, Double> best = new LinkedHashMap<>();
            for (ScoreDoc hit : hits) {
                int doc = searcher.storedFields().document(hit.doc).getField("doc").numericValue().intValue();
                best.merge(doc, (double) hit.score, Math::max);
            }
            rankings.add(sorted(best, CANDIDATES));
        }
        return rankings;
    }

    private static Query perField(List<String> terms, String body, String title, float titleBoost) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String term : terms) {
            any.add(new TermQuery(new Term(body, term)), Occur.SHOULD);
            any.add(new BoostQuery(new TermQuery(new Term(title, term)), titleBoost), Occur.SHOULD);
        }
        return any.build();
    }

    private static Query oneField(List<String> terms, String field) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        terms.forEach(term -> any.add(new TermQuery(new Term(field, term)), Occur.SHOULD));
        return any.build();
    }

    private static Query combined(List<String> terms, float titleWeight) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String term : terms) {
            any.add(new CombinedFieldQuery.Builder(term).addField("body", 1f).addField("title", titleWeight).build(),
                    Occur.SHOULD);
        }
        return any.build();
    }

    // ---- dense

    private Map<String, List<List<Scored>>> denseVariants() {
        Map<String, List<List<Scored>>> variants = new LinkedHashMap<>();
        List<double[][]> sims = new ArrayList<>();
        List<double[]> titleSims = new ArrayList<>();
        for (float[] queryVector : queryVectors) {
            double[][] perDoc = new double[chunkVectors.size()][];
            double[] perTitle = new double[chunkVectors.size()];
            for (int d = 0; d < chunkVectors.size(); d++) {
                float[][] vectors = chunkVectors.get(d);
                perDoc[d] = new double[vectors.length];
                for (int c = 0; c < vectors.length; c++) {
                    perDoc[d][c] = dot(queryVector, vectors[c]);
                }
                perTitle[d] = titleVectors.get(d) == null ? 0 : dot(queryVector, titleVectors.get(d));
            }
            sims.add(perDoc);
            titleSims.add(perTitle);
        }
        variants.put("max", dense(sims, titleSims, (s, t) -> max(s, s.length)));
        variants.put("first", dense(sims, titleSims, (s, t) -> s.length == 0 ? Double.NaN : s[0]));
        for (int n : new int[] {2, 4, 8}) {
            variants.put("max-first" + n, dense(sims, titleSims, (s, t) -> max(s, n)));
        }
        for (double alpha : new double[] {0.25, 0.5, 0.75}) {
            variants.put("max+first" + alpha, dense(sims, titleSims,
                    (s, t) -> s.length == 0 ? Double.NaN : (1 - alpha) * max(s, s.length) + alpha * s[0]));
        }
        for (int m : new int[] {2, 3}) {
            variants.put("mean-top" + m, dense(sims, titleSims, (s, t) -> meanTop(s, m)));
        }
        for (double alpha : new double[] {0.1, 0.2, 0.3}) {
            variants.put("max+title" + alpha, dense(sims, titleSims,
                    (s, t) -> s.length == 0 ? Double.NaN : (1 - alpha) * max(s, s.length) + alpha * t));
        }
        // A length prior in units of the spread of the query's best 400 chunk similarities: scale-free across models.
        List<Double> spreads = new ArrayList<>();
        for (double[][] perDoc : sims) {
            double[] all = Arrays.stream(perDoc).flatMapToDouble(Arrays::stream).sorted().toArray();
            double[] top = Arrays.copyOfRange(all, Math.max(0, all.length - 400), all.length);
            double mean = Arrays.stream(top).average().orElse(0);
            spreads.add(Math.sqrt(Arrays.stream(top).map(x -> (x - mean) * (x - mean)).average().orElse(0)));
        }
        for (double gamma : new double[] {0.25, 0.5, 0.75, 1.0, 1.5}) {
            List<List<Scored>> rankings = new ArrayList<>();
            for (int q = 0; q < sims.size(); q++) {
                double spread = spreads.get(q);
                Map<Integer, Double> scores = new HashMap<>();
                for (int d = 0; d < sims.get(q).length; d++) {
                    double[] perChunk = sims.get(q)[d];
                    if (perChunk.length > 0) {
                        scores.put(d, max(perChunk, perChunk.length) - gamma * spread * Math.log(perChunk.length));
                    }
                }
                rankings.add(sorted(scores, CANDIDATES));
            }
            variants.put("max-lensd" + gamma, rankings);
        }
        out.printf(Locale.ROOT, "mean spread of the best 400 chunk similarities: %.4f%n",
                spreads.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        for (double delta : new double[] {0.01, 0.02, 0.04}) {
            variants.put("max-decay" + delta, dense(sims, titleSims, (s, t) -> {
                double best = Double.NaN;
                for (int c = 0; c < s.length; c++) {
                    double score = s[c] - delta * Math.log(1 + c);
                    best = Double.isNaN(best) ? score : Math.max(best, score);
                }
                return best;
            }));
        }
        for (double gamma : new double[] {0.02, 0.03, 0.04, 0.05, 0.06, 0.08}) {
            variants.put("max-len" + gamma, dense(sims, titleSims,
                    (s, t) -> s.length == 0 ? Double.NaN : max(s, s.length) - gamma * Math.log(s.length)));
        }
        return variants;
    }

    private List<List<Scored>> dense(List<double[][]> sims, List<double[]> titleSims,
            BiFunction<double[], Double, Double> aggregate) {
        List<List<Scored>> rankings = new ArrayList<>();
        for (int q = 0; q < sims.size(); q++) {
            Map<Integer, Double> scores = new HashMap<>();
            for (int d = 0; d < sims.get(q).length; d++) {
                double score = aggregate.apply(sims.get(q)[d], titleSims.get(q)[d]);
                if (!Double.isNaN(score)) {
                    scores.put(d, score);
                }
            }
            rankings.add(sorted(scores, CANDIDATES));
        }
        return rankings;
    }

    private static double max(double[] sims, int firstN) {
        double best = Double.NaN;
        for (int c = 0; c < Math.min(firstN, sims.length); c++) {
            best = Double.isNaN(best) ? sims[c] : Math.max(best, sims[c]);
        }
        return best;
    }

    private static double meanTop(double[] sims, int m) {
        if (sims.length == 0) {
            return Double.NaN;
        }
        double[] sorted = sims.clone();
        Arrays.sort(sorted);
        int take = Math.min(m, sorted.length);
        double sum = 0;
        for (int i = 0; i < take; i++) {
            sum += sorted[sorted.length - 1 - i];
        }
        return sum / take;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    // ---- fusion

    private static List<List<Scored>> fuse(List<List<Scored>> keyword, List<List<Scored>> dense,
            BiFunction<List<Scored>, List<Scored>, List<Scored>> fusion) {
        return IntStream.range(0, keyword.size()).mapToObj(q -> fusion.apply(keyword.get(q), dense.get(q))).toList();
    }

    private static List<Scored> rrf(List<Scored> keyword, List<Scored> dense, int rankConstant) {
        Map<Integer, Double> fused = new HashMap<>();
        for (List<Scored> ranking : List.of(keyword, dense)) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                fused.merge(ranking.get(rank).doc, 1.0 / (rankConstant + rank + 1), Double::sum);
            }
        }
        return sorted(fused, CANDIDATES);
    }

    private static List<Scored> weighted(List<Scored> keyword, List<Scored> dense, double denseWeight,
            java.util.function.Function<List<Scored>, Map<Integer, Double>> normalise) {
        Map<Integer, Double> fused = new HashMap<>();
        normalise.apply(keyword).forEach((doc, score) -> fused.merge(doc, (1 - denseWeight) * score, Double::sum));
        normalise.apply(dense).forEach((doc, score) -> fused.merge(doc, denseWeight * score, Double::sum));
        return sorted(fused, CANDIDATES);
    }

    private static Map<Integer, Double> minMax(List<Scored> ranking) {
        Map<Integer, Double> normalised = new HashMap<>();
        if (ranking.isEmpty()) {
            return normalised;
        }
        double max = ranking.getFirst().score;
        double min = ranking.getLast().score;
        for (Scored scored : ranking) {
            normalised.put(scored.doc, max > min ? (scored.score - min) / (max - min) : 1.0);
        }
        return normalised;
    }

    private static Map<Integer, Double> maxNorm(List<Scored> ranking) {
        Map<Integer, Double> normalised = new HashMap<>();
        if (ranking.isEmpty()) {
            return normalised;
        }
        double max = ranking.getFirst().score;
        for (Scored scored : ranking) {
            normalised.put(scored.doc, max > 0 ? scored.score / max : 0);
        }
        return normalised;
    }

    private static Map<Integer, Double> zScore(List<Scored> ranking) {
        Map<Integer, Double> normalised = new HashMap<>();
        if (ranking.isEmpty()) {
            return normalised;
        }
        double mean = ranking.stream().mapToDouble(s -> s.score).average().orElse(0);
        double variance = ranking.stream().mapToDouble(s -> (s.score - mean) * (s.score - mean)).average().orElse(0);
        double sd = Math.sqrt(variance);
        double min = ranking.getLast().score;
        for (Scored scored : ranking) {
            // Shifted so that the list's weakest entry counts 0, as a document missing from the list does.
            normalised.put(scored.doc, sd > 0 ? (scored.score - min) / sd : 1.0);
        }
        return normalised;
    }

    // ---- metrics

    private Result measure(String name, List<List<Scored>> rankings) {
        if (name.equals(System.getProperty("dump"))) {
            for (int q = 0; q < queries.size(); q++) {
                List<String> ranking = rankings.get(q).stream().map(s -> docIds.get(s.doc)).toList();
                out.printf("DUMP\t%s\t%d%n", queries.get(q).id(),
                        RetrievalMetrics.firstRelevantRank(ranking, data.judgements().get(queries.get(q).id())));
            }
        }
        double ndcg = 0;
        double recall = 0;
        double mrr = 0;
        for (int q = 0; q < queries.size(); q++) {
            List<String> ranking = rankings.get(q).stream().map(s -> docIds.get(s.doc)).toList();
            Map<String, Integer> judged = data.judgements().get(queries.get(q).id());
            ndcg += RetrievalMetrics.ndcg(ranking, judged, 10);
            recall += RetrievalMetrics.recall(ranking, judged, 100);
            mrr += RetrievalMetrics.reciprocalRank(ranking, judged, 10);
        }
        int n = queries.size();
        return new Result(name, ndcg / n, recall / n, mrr / n);
    }

    private static List<Scored> sorted(Map<Integer, Double> scores, int limit) {
        return scores.entrySet().stream()
                .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(e -> new Scored(e.getKey(), e.getValue()))
                .toList();
    }

    private static Map<String, float[]> readCache(Path file) throws IOException {
        Map<String, float[]> cache = new HashMap<>();
        if (!Files.exists(file)) {
            return cache;
        }
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                float[] vector = new float[in.readInt()];
                for (int j = 0; j < vector.length; j++) {
                    vector[j] = in.readFloat();
                }
                cache.put(key, vector);
            }
        }
        return cache;
    }

    private static void writeCache(Path file, Map<String, float[]> cache) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream output = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(temporary)))) {
            output.writeInt(cache.size());
            for (Map.Entry<String, float[]> entry : cache.entrySet()) {
                output.writeUTF(entry.getKey());
                output.writeInt(entry.getValue().length);
                for (float value : entry.getValue()) {
                    output.writeFloat(value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Scored(int doc, double score) {
    }

    private record Result(String name, double ndcg, double recall, double mrr) {
    }
}
