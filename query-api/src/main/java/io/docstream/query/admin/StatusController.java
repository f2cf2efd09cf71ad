package io.docstream.query.admin;

import io.docstream.search.SearchIndex;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.query.admin.SystemStatus.ConsumerGroupLag;
import io.docstream.query.admin.SystemStatus.Counts;
import io.docstream.query.admin.SystemStatus.DocumentStates;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/admin/status}: the pipeline's health as an operator reads it, for the key's tenant. */
@RestController
class StatusController {

    static final String INDEXER_GROUP = "docstream-indexer";

    private final ConsumerGroups groups;
    private final TenantDocuments documents;
    private final TopicDocuments topic;
    private final SearchIndex searchIndex;
    private final MeterReadings meters;
    private final StatusProperties properties;

    StatusController(ConsumerGroups groups, TenantDocuments documents, TopicDocuments topic, SearchIndex searchIndex,
            MeterReadings meters, StatusProperties properties) {
        this.groups = groups;
        this.documents = documents;
        this.topic = topic;
        this.searchIndex = searchIndex;
        this.meters = meters;
        this.properties = properties;
    }

    @GetMapping("/api/v1/admin/status")
    SystemStatus status(ApiKeyPrincipal principal) {
        String tenant = principal.tenant();
        List<ConsumerGroupLag> lags = groups.lags();
        TopicDocuments.Count onTopic = topic.count(tenant);
        DocumentStates states = documents.states(tenant);
        long postgres = documents.live(tenant);
        long index = searchIndex.countDocuments(tenant);
        long indexerLag = lags.stream().filter(group -> group.group().equals(INDEXER_GROUP))
                .mapToLong(ConsumerGroupLag::lag).sum();
        List<String> explanations = CountExplanations.explain(new CountExplanations.Facts(tenant, index, postgres,
                onTopic.live(), onTopic.complete(), properties.topicScanTimeout(), states, indexerLag));
        boolean consistent = onTopic.complete() && index == postgres && postgres == onTopic.live();
        return new SystemStatus(tenant, lags, states,
                new Counts(index, postgres, onTopic.live(), onTopic.complete(), consistent, explanations),
                documents.freshness(tenant, properties.freshnessWindow()), meters.circuitBreakers(),
                meters.cacheHitRates());
    }
}
