-- Search analytics, written by the invalidator's analytics Streams app from docstream.queries.v1: per tenant
-- and time window, the exact counts so far. Every flush writes a row's values whole (never increments), so a
-- flush repeated after a crash or rebalance changes nothing.

-- One row per tenant, window and request shape: the normalised query with its mode, fusion, k and filters.
-- "Top queries" add the shapes of one query up; cache warming re-runs the most asked shapes.
create table query_stats (
    tenant_id           text not null,
    window_start        timestamptz not null,
    shape_hash          text not null,
    query_hash          text not null,
    query_text          text,
    mode                text not null,
    fusion              text,
    k                   integer not null,
    filters             jsonb not null,
    searches            bigint not null check (searches >= 0),
    zero_results        bigint not null check (zero_results >= 0),
    latency_sum_micros  bigint not null check (latency_sum_micros >= 0),
    latency_max_micros  bigint not null check (latency_max_micros >= 0),
    updated_at          timestamptz not null default now(),
    primary key (tenant_id, window_start, shape_hash)
);

create index query_stats_tenant_window_idx on query_stats (tenant_id, window_start);

-- One row per tenant, window and search mode: how the searches were answered. Latencies are counted in fixed
-- buckets (the app names their bounds), so percentiles over any range of windows add up exactly.
create table search_stats (
    tenant_id        text not null,
    window_start     timestamptz not null,
    mode             text not null,
    searches         bigint not null check (searches >= 0),
    first_pages      bigint not null check (first_pages >= 0),
    zero_results     bigint not null check (zero_results >= 0),
    l1_hits          bigint not null check (l1_hits >= 0),
    l2_hits          bigint not null check (l2_hits >= 0),
    misses           bigint not null check (misses >= 0),
    degraded         bigint not null check (degraded >= 0),
    latency_buckets  bigint[] not null,
    updated_at       timestamptz not null default now(),
    primary key (tenant_id, window_start, mode)
);
