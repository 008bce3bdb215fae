-- Replace @RUN@ with a run's id: it gets 100,000 events (500 tasks on 199 hosts each) and the
-- task summaries and run summary the event store keeps for them; the other runs get summaries.
insert into run_event (run_id, seq, type, at, play, task, task_id, task_path, role, host, action, changed,
                       failed, ignored, item, duration_ms, line, result)
select @RUN@, i,
       case when i % 200 = 1 then 'playbook_on_task_start' else 'runner_on_ok' end,
       timestamp with time zone '2026-12-01 03:00:00+00' + i * interval '10 milliseconds',
       'Compose', 'task ' || ((i - 1) / 200), 'id-' || ((i - 1) / 200), 'playbooks/compose.yml:' || ((i - 1) / 200),
       null, case when i % 200 = 1 then null else 'host-' || (i % 200) end, 'ansible.builtin.command',
       i % 7 = 0, false, false, null, i % 1000, i, '{"rc": 0}'
from generate_series(1, 100000) i;

insert into run_task (run_id, task_id, start_seq, play, task, task_path, role, action, handler, line, ok, changed,
                      failed, ignored, skipped, unreachable, duration_ms, failed_line)
select @RUN@, 'id-' || t, t * 200 + 1, 'Compose', 'task ' || t, 'playbooks/compose.yml:' || t, null,
       'ansible.builtin.command', false, t * 200 + 1, 199, 28, 0, 0, 0, 0, 999, null
from generate_series(0, 499) t;

insert into run_summary (run_id, state, problem, event_count, dry_run, hosts, outputs)
values (@RUN@, 'complete', null, 100000, false, '[]', null);

-- every other run has a summary and ten tasks, so that one run's rows are a small part of each table
insert into run_summary (run_id, state, problem, event_count, dry_run, hosts, outputs)
select id, 'complete', null, 30, false, '[]', null from run where id <> @RUN@;
insert into run_task (run_id, task_id, start_seq, play, task, task_path, role, action, handler, line, ok, changed,
                      failed, ignored, skipped, unreachable, duration_ms, failed_line)
select r.id, 'id-' || t, t * 3 + 1, 'Play', 'task ' || t, 'playbooks/p.yml:' || t, null, 'ansible.builtin.command',
       false, t * 3 + 1, 2, 0, 0, 0, 0, 0, 10, null
from run r, generate_series(0, 9) t where r.id <> @RUN@;

analyze run_event;
analyze run_task;
analyze run_summary;
