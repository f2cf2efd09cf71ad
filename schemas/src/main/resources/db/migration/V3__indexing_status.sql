-- Where each document stands between "accepted by Kafka" and "searchable".
create table indexing_status (
    tenant_id         text not null references tenants (tenant_id),
    document_id       text not null,
    accepted_version  bigint,
    accepted_at       timestamptz,
    indexed_version   bigint,
    indexed_at        timestamptz,
    state             text not null check (state in ('pending', 'indexed', 'deleted', 'failed')),
    error             text,
    updated_at        timestamptz not null default now(),
    primary key (tenant_id, document_id)
);

create index indexing_status_state_idx on indexing_status (tenant_id, state);
