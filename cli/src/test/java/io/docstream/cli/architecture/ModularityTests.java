package io.docstream.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.docstream.platform.web.ProblemException;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The module boundaries DESIGN.md draws, checked on the production classes of every module: which module may
 * use which, that services stay apart, that adapters stay out of the web, and that only the web layer speaks
 * HTTP. A rule names the classes that break it when it fails.
 */
class ModularityTests {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        // The other modules are jars on this module's class path; their test jars are left out with the tests.
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.docstream");
    }

    @Test
    void ingestUsesThePlatformOnly() {
        check(noClasses().that().resideInAPackage("io.docstream.ingest..")
                .should().dependOnClassesThat().resideInAnyPackage("io.docstream.search..", "io.docstream.embedding..",
                        "io.docstream.cache.."));
    }

    @Test
    void theInvalidatorNeitherSearchesNorEmbeds() {
        check(noClasses().that().resideInAPackage("io.docstream.invalidator..")
                .should().dependOnClassesThat().resideInAnyPackage("io.docstream.search..", "io.docstream.embedding.."));
    }

    @Test
    void servicesDoNotUseEachOther() {
        String[] services = { "ingest", "indexer", "invalidator", "query" };
        for (String service : services) {
            for (String other : services) {
                if (!service.equals(other)) {
                    check(noClasses().that().resideInAPackage("io.docstream." + service + "..")
                            .should().dependOnClassesThat().resideInAPackage("io.docstream." + other + ".."));
                }
            }
        }
    }

    @Test
    void sharedModulesDoNotUseServices() {
        check(noClasses().that().resideInAnyPackage("io.docstream.platform..", "io.docstream.cache..",
                        "io.docstream.embedding..", "io.docstream.search..", "io.docstream.schemas..")
                .should().dependOnClassesThat().resideInAnyPackage("io.docstream.ingest..", "io.docstream.indexer..",
                        "io.docstream.invalidator..", "io.docstream.query..", "io.docstream.cli.."));
    }

    @Test
    void sharedModulesDependInOneDirection() {
        check(noClasses().that().resideInAPackage("io.docstream.platform..")
                .should().dependOnClassesThat().resideInAnyPackage("io.docstream.cache..", "io.docstream.embedding..",
                        "io.docstream.search.."));
        check(noClasses().that().resideInAnyPackage("io.docstream.cache..", "io.docstream.embedding..")
                .should().dependOnClassesThat().resideInAPackage("io.docstream.search.."));
        check(noClasses().that().resideInAnyPackage("io.docstream.embedding..", "io.docstream.search..")
                .should().dependOnClassesThat().resideInAPackage("io.docstream.cache.."));
    }

    @Test
    void adaptersStayOutOfTheWeb() {
        check(noClasses().that().resideInAnyPackage("io.docstream.search.lucene..", "io.docstream.search.qdrant..",
                        "io.docstream.embedding.onnx..", "io.docstream.embedding.http..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..",
                        "org.springframework.http..", "jakarta.servlet..", "io.docstream.platform.web.."));
    }

    @Test
    void onlyTheWebLayerSpeaksHttp() {
        check(noClasses().that(are(notWebLayer()))
                .should().dependOnClassesThat().areAssignableTo(ProblemException.class)
                .orShould().dependOnClassesThat().resideInAnyPackage("org.springframework.http..", "jakarta.servlet..")
                .because("domain code throws the domain exceptions of io.docstream.platform.errors and the web "
                        + "layer maps them once (ProblemDetailsAdvice)"));
    }

    /** Controllers, advice, filters, interceptors, argument resolvers, configuration and the platform's web package. */
    private static DescribedPredicate<JavaClass> notWebLayer() {
        return DescribedPredicate.describe("not part of the web layer", javaClass -> {
            JavaClass outer = javaClass.getEnclosingClass().orElse(javaClass);
            return !(outer.getPackageName().startsWith("io.docstream.platform.web")
                    || outer.getPackageName().startsWith("io.docstream.cli")
                    || outer.isAnnotatedWith(RestController.class)
                    || outer.isAnnotatedWith(RestControllerAdvice.class)
                    || outer.isAnnotatedWith(ControllerAdvice.class)
                    || outer.isMetaAnnotatedWith(Configuration.class)
                    || outer.isAssignableTo(Filter.class)
                    || outer.isAssignableTo(HandlerInterceptor.class)
                    || outer.isAssignableTo(HandlerMethodArgumentResolver.class));
        });
    }

    private static <T> DescribedPredicate<T> are(DescribedPredicate<T> predicate) {
        return predicate;
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }
}
