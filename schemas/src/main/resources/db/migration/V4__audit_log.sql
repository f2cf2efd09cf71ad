-- Append-only audit trail, partitioned by month so old months can be detached and dropped.
create table audit_log (
    audit_id     uuid not null,
    tenant_id    text not null,
    actor        text not null,
    action       text not null,
    resource     text not null,
    outcome      text not null,
    request_id   text,
    trace_id     text,
    occurred_at  timestamptz not null,
    recorded_at  timestamptz not null default now(),
    primary key (audit_id, occurred_at)
) partition by range (occurred_at);

create table audit_log_default partition of audit_log default;

create index audit_log_actor_time_idx on audit_log (tenant_id, actor, occurred_at);
create index audit_log_action_time_idx on audit_log (tenant_id, action, occurred_at);
create index audit_log_request_idx on audit_log (request_id);

-- Creates the monthly partition holding the given instant, if missing. Rows already in the
-- default partition for that month are moved in.
create function ensure_audit_partition(at timestamptz) returns void language plpgsql as $$
declare
    month_start timestamptz := date_trunc('month', at at time zone 'UTC') at time zone 'UTC';
    month_end   timestamptz := month_start + interval '1 month';
    part_name   text := 'audit_log_' || to_char(month_start at time zone 'UTC', 'YYYY_MM');
begin
    if to_regclass(part_name) is not null then
        return;
    end if;
    execute format('create temporary table audit_moving on commit drop as
                    select * from audit_log_default where occurred_at >= %L and occurred_at < %L',
                   month_start, month_end);
    execute format('delete from audit_log_default where occurred_at >= %L and occurred_at < %L',
                   month_start, month_end);
    execute format('create table %I partition of audit_log for values from (%L) to (%L)',
                   part_name, month_start, month_end);
    execute 'insert into audit_log select * from audit_moving';
    drop table audit_moving;
end $$;

select ensure_audit_partition(now());
select ensure_audit_partition(now() + interval '1 month');
