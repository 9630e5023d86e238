-- One row per run, written when it starts, with the host and process that run it.
insert into runs (run_id, started_at, status, sources, host, pid)
values ($run_id, $started_at, 'running', $sources, $host, $pid)
on conflict do nothing;
