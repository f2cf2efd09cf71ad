-- The tenant's search generation the invalidator moved to when it made searchable_version searchable. A query API
-- that has applied invalidations up to this generation serves that version from every cache layer, which is how it
-- judges a consistency token ("document@version") whose invalidation it did not see itself (it started later).
alter table indexing_status
    add column searchable_generation bigint;
