-- One row per task of a run, kept by the event store in the same transaction as the events it
-- adds up, so that the run page reads the tasks it shows by index instead of adding up every
-- event of the run on each view. Rows without start_seq are tasks whose start event has not been
-- stored (the page lists only started tasks, in the order they started).

create table run_task (
    run_id      bigint not null references run (id),
    task_id     varchar(64) not null,
    start_seq   integer,
    play        varchar(1000),
    task        varchar(1000),
    task_path   varchar(2000),
    role        varchar(500),
    action      varchar(200),
    handler     boolean not null,
    line        integer,
    ok          integer not null,
    changed     integer not null,
    failed      integer not null,
    ignored     integer not null,
    skipped     integer not null,
    unreachable integer not null,
    duration_ms bigint,
    failed_line integer,
    primary key (run_id, task_id)
);

create index run_task_start_idx on run_task (run_id, start_seq);

-- Runs recorded before: their tasks are added up once, as the page used to on each view.
insert into run_task (run_id, task_id, start_seq, play, task, task_path, role, action, handler, line,
                      ok, changed, failed, ignored, skipped, unreachable, duration_ms, failed_line)
select s.run_id, s.task_id, s.seq, s.play, s.task, s.task_path, s.role, s.action,
       s.type = 'playbook_on_handler_task_start', s.line,
       coalesce(a.ok, 0), coalesce(a.changed, 0), coalesce(a.failed, 0), coalesce(a.ignored, 0),
       coalesce(a.skipped, 0), coalesce(a.unreachable, 0), a.duration_ms, a.failed_line
from (select run_id, task_id, min(seq) as seq from run_event
      where type in ('playbook_on_task_start', 'playbook_on_handler_task_start') and task_id is not null
      group by run_id, task_id) f
join run_event s on s.run_id = f.run_id and s.seq = f.seq
left join (select run_id, task_id,
                  sum(case when type = 'runner_on_ok' then 1 else 0 end) as ok,
                  sum(case when changed then 1 else 0 end) as changed,
                  sum(case when type = 'runner_on_failed' and not ignored then 1 else 0 end) as failed,
                  sum(case when type = 'runner_on_failed' and ignored then 1 else 0 end) as ignored,
                  sum(case when type = 'runner_on_skipped' then 1 else 0 end) as skipped,
                  sum(case when type = 'runner_on_unreachable' then 1 else 0 end) as unreachable,
                  max(duration_ms) as duration_ms,
                  min(case when failed and not ignored then line end) as failed_line
           from run_event
           where type in ('runner_on_ok', 'runner_on_failed', 'runner_on_skipped', 'runner_on_unreachable')
             and task_id is not null
           group by run_id, task_id) a on a.run_id = s.run_id and a.task_id = s.task_id;
