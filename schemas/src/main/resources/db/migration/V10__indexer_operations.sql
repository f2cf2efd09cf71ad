-- Replays and reindexes as the whole indexer group sees them. The instance running one publishes its status here
-- (and refreshes it while the run is active), so every instance answers status for the group and refuses a second
-- run; an operator's request to another instance (finish, switch, rollback) waits here until the owner applies it.
create table indexer_operations (
    kind             text primary key check (kind in ('replay', 'reindex')),
    owner            text not null,
    active           boolean not null,
    status           jsonb,
    updated_at       timestamptz not null default now(),
    requested_action text,
    requested_by     jsonb,
    requested_at     timestamptz
);
