-- Tenants and their API keys. Keys are stored as SHA-256 hashes; the plain key is shown once.
create table tenants (
    tenant_id   text primary key check (tenant_id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    created_at  timestamptz not null default now()
);

create table api_keys (
    key_id      uuid primary key,
    tenant_id   text not null references tenants (tenant_id),
    key_hash    bytea not null unique,
    key_prefix  text not null,
    name        text not null,
    scopes      text[] not null check (scopes <@ array['ingest', 'search', 'admin']::text[] and cardinality(scopes) > 0),
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create index api_keys_tenant_idx on api_keys (tenant_id);
