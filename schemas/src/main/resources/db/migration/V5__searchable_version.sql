-- The last version the invalidator made visible through every cache layer: it is written only after
-- that version's cache keys were evicted and the tenant's search generation moved. The status endpoint
-- reports a version as indexed from this column, so a client that saw "indexed" reads it or newer.
alter table indexing_status
    add column searchable_version bigint,
    add column searchable_at      timestamptz;
