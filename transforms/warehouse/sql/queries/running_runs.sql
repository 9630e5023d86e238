-- Runs still marked running that a process of $host started: (run_id, pid).
select run_id, pid
from runs
where status = 'running' and host = $host and pid is not null
order by started_at;
