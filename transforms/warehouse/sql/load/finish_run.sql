-- Close a run's row with its counts.
update runs set
    finished_at = $finished_at,
    status = $status,
    articles_read = $articles_read,
    articles_new = $articles_new,
    copies = $copies,
    claims_stored = $claims_stored,
    comparisons_stored = $comparisons_stored,
    failures = $failures
where run_id = $run_id;
