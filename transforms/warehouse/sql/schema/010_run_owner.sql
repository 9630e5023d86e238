-- claimtrack storage, version 10: which process ran a run. A run killed outright (SIGKILL, a
-- crash, a power cut) never closes its row; the next run on the same host finds the row still
-- `running` with a process that no longer exists and marks it `abandoned` (finished_at stays
-- null: when it died is not known). Rows of earlier versions have null host and pid and are left
-- as they are. Idempotent.
alter table runs add column if not exists host varchar;   -- the host name of the process
alter table runs add column if not exists pid integer;    -- its process id
