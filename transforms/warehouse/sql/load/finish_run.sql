-- Close a run's row with its counts (inputs = articles_new + versions + copies + articles_seen
-- + failures; articles_seen is set by finish_run_extra.sql).
update runs set
    finished_at = $finished_at,
    status = $status,
    inputs = $inputs,
    articles_read = $articles_read,
    articles_new = $articles_new,
    versions = $versions,
    copies = $copies,
    not_extracted = $not_extracted,
    claims_stored = $claims_stored,
    comparisons_stored = $comparisons_stored,
    failures = $failures
where run_id = $run_id;
