-- The system of record for what the API reads. Every write is guarded by version:
-- a row changes only when the incoming version is newer than the stored one.
create table documents (
    tenant_id     text not null references tenants (tenant_id),
    document_id   text not null,
    version       bigint not null,
    title         text not null default '',
    body          text not null default '',
    metadata      jsonb not null default '{}'::jsonb,
    model_id      text,
    deleted       boolean not null default false,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    -- Only the degraded fallback ranks with this; BM25 in the search index is the real keyword search.
    search_vector tsvector generated always as (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(body, '')), 'B')) stored,
    primary key (tenant_id, document_id)
);

create index documents_search_vector_idx on documents using gin (search_vector);
create index documents_metadata_idx on documents using gin (metadata jsonb_path_ops);

create table chunks (
    tenant_id     text not null,
    document_id   text not null,
    chunk_index   integer not null check (chunk_index >= 0),
    version       bigint not null,
    chunk_hash    text not null,
    text          text not null,
    token_count   integer not null,
    start_offset  integer not null,
    end_offset    integer not null,
    primary key (tenant_id, document_id, chunk_index),
    foreign key (tenant_id, document_id) references documents (tenant_id, document_id) on delete cascade
);

-- Durable embedding cache: an update re-embeds only changed chunks, a replay embeds nothing.
create table embedding_cache (
    model_id      text not null,
    chunk_hash    text not null,
    dimensions    integer not null,
    vector        real[] not null check (cardinality(vector) = dimensions),
    created_at    timestamptz not null default now(),
    primary key (model_id, chunk_hash)
);
