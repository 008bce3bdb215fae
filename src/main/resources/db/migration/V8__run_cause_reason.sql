-- Why someone started a run, in their own words ("re-run after the koji outage"), kept with the
-- cause and shown on the run page. Optional; its size is Cause.REASON_SIZE.

alter table run add column cause_reason varchar(500);
