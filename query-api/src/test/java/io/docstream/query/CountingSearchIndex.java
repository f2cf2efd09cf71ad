package io.docstream.query;

import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.IndexWrite;
import io.docstream.search.SearchIndex;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.store.AlreadyClosedException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The real search index with a count of keyword searches per query text (the origin loads a cache
 * saves), and an optional gate that holds a keyword search until a test lets it go on.
 */
public final class CountingSearchIndex implements SearchIndex {

    private final SearchIndex index;
    private final Map<String, AtomicInteger> keywordSearches = new ConcurrentHashMap<>();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private volatile boolean down;

    CountingSearchIndex(SearchIndex index) {
        this.index = index;
    }

    /** Keyword searches run for this (normalised) query text so far. */
    public int keywordSearches(String text) {
        AtomicInteger count = keywordSearches.get(text);
        return count == null ? 0 : count.get();
    }

    /**
     * While down, every search fails as a closed Lucene index does ({@link AlreadyClosedException}); writes
     * still go through, so a test can seed first.
     */
    public void down(boolean down) {
        this.down = down;
    }

    private void failWhenDown() {
        if (down) {
            throw new AlreadyClosedException("this IndexReader is closed");
        }
    }

    /** Holds the next keyword search for {@code text} until the returned gate is opened. */
    public Gate gate(String text) {
        Gate gate = new Gate();
        gates.put(text, gate);
        return gate;
    }

    @Override
    public List<DocumentHit> searchKeyword(IndexQuery query, String text) {
        keywordSearches.computeIfAbsent(text, ignored -> new AtomicInteger()).incrementAndGet();
        failWhenDown();
        Gate gate = gates.remove(text);
        if (gate != null) {
            gate.entered.countDown();
            await(gate.open);
        }
        return index.searchKeyword(query, text);
    }

    @Override
    public String name() {
        return index.name();
    }

    @Override
    public List<String> write(List<IndexWrite> writes) {
        return index.write(writes);
    }

    @Override
    public List<IndexHit> searchDense(IndexQuery query, float[] vector) {
        failWhenDown();
        return index.searchDense(query, vector);
    }

    @Override
    public Map<String, IndexHit> bestChunks(IndexQuery query, Collection<String> documentIds, String text) {
        failWhenDown();
        return index.bestChunks(query, documentIds, text);
    }

    @Override
    public long countDocuments(String tenant) {
        return index.countDocuments(tenant);
    }

    @Override
    public void close() {
        index.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A search held on its way to the index. */
    public static final class Gate {

        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);

        /** Waits until the held search has started. */
        public void awaitEntered() throws InterruptedException {
            if (!entered.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the search never reached the index");
            }
        }

        public void open() {
            open.countDown();
        }
    }

    /** Wraps the application's search index. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Decorate {

        @Bean
        static BeanPostProcessor countingSearchIndex() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof SearchIndex index && !(bean instanceof CountingSearchIndex)
                            ? new CountingSearchIndex(index) : bean;
                }
            };
        }
    }
}
