-- Mark the given runs, still `running` though their process is gone, as `abandoned`.
update runs set status = 'abandoned'
where status = 'running' and list_contains($run_ids, run_id);
