-- The embedded database's copy of db/postgresql/V10: the same indexes, built as H2 builds them
-- (H2 has no CONCURRENTLY; an embedded database has one engine, which is starting).

create index if not exists run_status_id_idx on run (status, id);
create index if not exists run_workflow_status_id_idx on run (workflow_id, status, id);
