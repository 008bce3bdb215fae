-- A long history, written straight into the engine's schema (schema version 5 or later) with
-- generate_series, for the query plan test (HistoryQueryPlansIT) and bench/history-scale.
-- Replace @RUNS@ with the number of runs. They are spread over the fixture catalog's workflows
-- and one workflow no longer in any catalog (whose runs only admins may list), 10 s apart, and
-- nearly all finished: one in 50 failed, one in 997 cancelled, one in 4999 timed out. The five
-- newest are running on a node that is no engine's, so that there is something active to count.
-- Each run has its first transition, message-caused runs their message, and each run the start
-- announcement in the outbox; the workflow counters end at each workflow's last number.

insert into run (workflow_id, number, status, cause_type, cause_user, cause_detail, parameters,
                 queued_at, started_at, finished_at, exit_code, node)
select w.names[1 + (i - 1) % w.n],
       (i - 1) / w.n + 1,
       case when i % 50 = 0 then 'failed' when i % 997 = 0 then 'cancelled'
            when i % 4999 = 0 then 'timed_out' else 'succeeded' end,
       case i % 3 when 0 then 'message' when 1 then 'schedule' else 'manual' end,
       case when i % 3 = 2 then 'alice' end,
       case when i % 3 = 0 then 'org.fedoraproject.prod.buildsys.tag seed-' || i end,
       '{"release":"rawhide","count":1}',
       timestamp with time zone '2020-01-01 00:00:00+00' + i * interval '10 seconds',
       timestamp with time zone '2020-01-01 00:00:01+00' + i * interval '10 seconds',
       timestamp with time zone '2020-01-01 00:00:09+00' + i * interval '10 seconds',
       case when i % 50 = 0 then 2 when i % 997 = 0 or i % 4999 = 0 then null else 0 end,
       'seed-node'
from (select array['echo-params', 'fail-on-second-task', 'print-many-lines', 'qa-smoke', 'quick-timeout',
                   'replace-older', 'restricted-chore', 'skip-when-busy', 'sleeper', 'with-secret',
                   'retired-chore'] as names, 11 as n) w,
     generate_series(1, @RUNS@) i;

update run set status = 'running', finished_at = null, exit_code = null, node = 'seed-elsewhere'
where id > (select max(id) - 5 from run);

insert into run_transition (run_id, from_status, to_status, at, actor, reason)
select id, null, 'queued', queued_at, 'seed', 'seeded history' from run;

insert into run_message (run_id, workflow_id, bus, topic, message_id, body)
select id, workflow_id, 'amqp', 'org.fedoraproject.prod.buildsys.tag', 'seed-' || id, '{"tag":"f42-updates"}'
from run where cause_type = 'message';

insert into outbox (message_id, run_id, topic, body, users, created_at)
select 'seed-start-' || id, id, 'org.fedoraproject.prod.releng.workflow.start', '{}', '[]', started_at from run;

insert into workflow_counter (workflow_id, last_number)
select workflow_id, max(number) from run group by workflow_id
on conflict (workflow_id) do update set last_number = excluded.last_number;

analyze;
