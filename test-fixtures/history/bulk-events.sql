-- For bench/history-scale, after events.sql: ten events for every run but @RUN@ (which events.sql
-- gave 100,000), so that with N runs the event table holds 10 N + 100,000 rows: 10^8 at N = 10^7,
-- years of Fedora's history. A play start, then four tasks of one host each.
insert into run_event (run_id, seq, type, at, play, task, task_id, task_path, role, host, action, changed,
                       failed, ignored, item, duration_ms, line, result)
select r.id, e,
       case when e = 1 then 'playbook_on_start' when e = 2 then 'playbook_on_play_start'
            when e % 2 = 1 then 'playbook_on_task_start' else 'runner_on_ok' end,
       r.queued_at + e * interval '100 milliseconds',
       'Play',
       case when e > 2 then 'task ' || ((e - 3) / 2) end,
       case when e > 2 then 'id-' || ((e - 3) / 2) end,
       case when e > 2 then 'playbooks/p.yml:' || ((e - 3) / 2) end,
       null,
       case when e > 2 and e % 2 = 0 then 'localhost' end,
       case when e > 2 then 'ansible.builtin.command' end,
       false, false, false, null,
       case when e > 2 and e % 2 = 0 then 10 end,
       e,
       case when e > 2 and e % 2 = 0 then '{"rc": 0}' end
from run r, generate_series(1, 10) e
where r.id <> @RUN@;

analyze run_event;
