-- Chain steps that need approval: a step run's rule is its chain's, so the people who decide it
-- are those holding `approve` on the chain. decided_on names that workflow (null: the run's own).
alter table run_approval add column decided_on varchar(100);
