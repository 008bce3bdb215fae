-- Indexes that let every history page read only the rows it shows, however long the history
-- (see JdbcRunRepository.list): runs of some statuses, newest first, and runs of one workflow in
-- some statuses, newest first. The newest run of each workflow needs no index of its own: it is
-- the run numbered as the workflow's counter says, found through run_number_unique.
--
-- Built CONCURRENTLY so that a table of millions of runs keeps taking runs while the indexes are
-- built; Flyway therefore runs this script outside a transaction. Should a build fail half way,
-- PostgreSQL leaves an invalid index behind: each build first drops what an earlier attempt left.

drop index concurrently if exists run_status_id_idx;
create index concurrently run_status_id_idx on run (status, id);

drop index concurrently if exists run_workflow_status_id_idx;
create index concurrently run_workflow_status_id_idx on run (workflow_id, status, id);
