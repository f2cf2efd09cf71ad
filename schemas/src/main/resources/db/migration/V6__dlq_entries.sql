-- What operators did with records of the dead-letter topic. Kafka can neither flag nor delete a single
-- record, so a redrive or a purge is remembered here, keyed by the record's place in the topic; the
-- tenant is the one named in the record's key, the only tenant whose admin keys may act on it.
create table dlq_entries (
    topic          text not null,
    partition_no   integer not null check (partition_no >= 0),
    record_offset  bigint not null check (record_offset >= 0),
    tenant_id      text not null references tenants (tenant_id),
    redriven_at    timestamptz,
    redriven_by    text,
    purged_at      timestamptz,
    purged_by      text,
    primary key (topic, partition_no, record_offset)
);

create index dlq_entries_tenant_idx on dlq_entries (tenant_id, topic);
