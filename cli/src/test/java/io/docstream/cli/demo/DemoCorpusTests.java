package io.docstream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.demo.DemoCorpus.Document;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DemoCorpusTests {

    private final List<Document> corpus = DemoCorpus.load(JsonMapper.builder().build());

    @Test
    void holdsSixtyDocumentsWithUniqueIds() {
        assertThat(corpus).hasSize(60);
        assertThat(corpus).extracting(Document::id).doesNotHaveDuplicates();
    }

    @Test
    void everyDocumentIsAShortArticleOfEightyToTwoHundredWords() {
        assertThat(corpus).allSatisfy(document -> {
            assertThat(document.title()).isNotBlank();
            assertThat(document.body().split("\\s+").length).as(document.id()).isBetween(80, 200);
        });
    }

    @Test
    void spreadsEvenlyOverClearlyDifferentCategories() {
        Map<String, Long> perCategory = corpus.stream()
                .collect(Collectors.groupingBy(Document::category, Collectors.counting()));
        assertThat(perCategory).doesNotContainKey("").hasSizeGreaterThanOrEqualTo(10);
        assertThat(perCategory.values()).allSatisfy(count -> assertThat(count).isEqualTo(5L));
    }

    @Test
    void filteredExampleSearchNamesACategoryOfTheCorpus() {
        Map<String, Document> anyPerCategory = corpus.stream()
                .collect(Collectors.toMap(Document::category, Function.identity(), (a, b) -> a));
        assertThat(DemoCommand.EXAMPLES).filteredOn(example -> example.filter() != null)
                .singleElement()
                .satisfies(example -> assertThat(anyPerCategory)
                        .containsKey(example.filter().substring("category:".length())));
    }

    @Test
    void keywordExampleTermOccursInTheCorpus() {
        assertThat(DemoCommand.EXAMPLES).filteredOn(example -> example.mode().equals("keyword"))
                .filteredOn(example -> !example.label().equals("nonsense"))
                .allSatisfy(example -> assertThat(corpus).anySatisfy(document -> assertThat(document.body())
                        .contains(example.query().split(" ")[0])));
    }

    /** The last example shows a search that finds nothing, for 'docstream queries no-results'. */
    @Test
    void theNonsenseExampleSharesNoWordWithTheCorpus() {
        DemoCommand.ExampleSearch nonsense = DemoCommand.EXAMPLES.getLast();
        assertThat(nonsense.label()).isEqualTo("nonsense");
        for (String word : nonsense.query().split(" ")) {
            assertThat(corpus).noneSatisfy(document -> assertThat((document.title() + " " + document.body())
                    .toLowerCase(java.util.Locale.ROOT)).contains(word));
        }
    }
}
