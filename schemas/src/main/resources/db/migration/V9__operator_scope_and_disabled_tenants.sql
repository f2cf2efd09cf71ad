-- The operator scope (tenant administration) and tenants that can be disabled: a disabled tenant's keys are
-- refused; its documents, keys and audit trail stay, and enabling it again restores access.
alter table api_keys drop constraint api_keys_scopes_check;
alter table api_keys add constraint api_keys_scopes_check
    check (scopes <@ array['ingest', 'search', 'admin', 'operator']::text[] and cardinality(scopes) > 0);
alter table tenants add column disabled_at timestamptz;
