-- A long history, written straight into the engine's schema with
-- generate_series, for the query plan test (HistoryQueryPlansIT) and bench/history-scale (schema
-- version 15 or later).
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

-- Approvals (schema version 15 or later): one run in 100 asked for one and got it from bob; of
-- those, one in 10 was asked of two people and cancelled while it waited, which leaves its row
-- undecided forever. The three runs before the running ones wait for an approval now.
insert into run_approval (run_id, step, required, deadline, starter, starter_kind, requested_at, outcome)
select id, '', case when id % 1000 = 0 then 2 else 1 end, queued_at + interval '1 day', 'alice', 'user', queued_at,
       case when id % 1000 = 0 then null else 'approved' end
from run where id % 100 = 0 and id <= (select max(id) - 8 from run);
update run set status = 'cancelled', exit_code = null
where id % 1000 = 0 and id <= (select max(id) - 8 from run);
insert into approval_decision (run_id, step, decided_by, decision, comment, at)
select run_id, '', 'bob', 'approved', 'seeded', requested_at + interval '1 minute' from run_approval;
update run set status = 'waiting_approval', started_at = null, finished_at = null, exit_code = null, node = null
where id > (select max(id) - 8 from run) and id <= (select max(id) - 5 from run);
insert into run_approval (run_id, step, required, deadline, starter, starter_kind, requested_at, outcome)
select id, '', 1, timestamp with time zone '2999-01-01 00:00:00+00', 'alice', 'user', queued_at, null
from run where status = 'waiting_approval';

-- Chains: one run in 100 was a chain of three steps, the three runs after it (one in 10 of those
-- chains resumes the chain before it).
insert into chain_run (run_id, chain_id, resumes_run_id)
select id, 'seed-chain', case when id % 1000 = 1 and id > 100 then id - 100 end from run where id % 100 = 1;
insert into chain_step (chain_run_id, step_id, status, run_id, error, updated_at)
select c.run_id, 'step-' || s, 'started', c.run_id + s, null, r.queued_at
from chain_run c join run r on r.id = c.run_id, generate_series(1, 3) s
where c.run_id + 3 <= (select max(id) from run);

-- Locks: every run of sleeper wanted the lock compose, as every nightly compose does, and so do
-- the running runs (which hold it, as far as any query can tell).
insert into run_lock (name) values ('compose') on conflict do nothing;
insert into run_lock_wanted (run_id, name)
select id, 'compose' from run where workflow_id = 'sleeper' or status = 'running';

insert into run_transition (run_id, from_status, to_status, at, actor, reason)
select id, null, 'queued', queued_at, 'seed', 'seeded history' from run;

insert into run_message (run_id, workflow_id, bus, topic, message_id, body)
select id, workflow_id, 'amqp', 'org.fedoraproject.prod.buildsys.tag', 'seed-' || id, '{"tag":"f42-updates"}'
from run where cause_type = 'message';

insert into outbox (message_id, run_id, topic, body, users, created_at)
select 'seed-start-' || id, id, 'org.fedoraproject.prod.releng.workflow.start', '{}', '[]', coalesce(started_at, queued_at)
from run;

insert into workflow_counter (workflow_id, last_number)
select workflow_id, max(number) from run group by workflow_id
on conflict (workflow_id) do update set last_number = excluded.last_number;

analyze;
