-- Dashboard: the last run (most recently started), zero or one row, from the `runs` table; with
-- $stored_only, the last run that stored a new article or a claim (shown beside the last run
-- when that one stored nothing). The counts are the run line's: every input is new, a new
-- version, a copy, already stored or failed.
with run_rows as (
    select * from runs
    where not $stored_only or coalesce(articles_new, 0) > 0 or coalesce(claims_stored, 0) > 0
),

final as (
    select
        run_id, started_at, finished_at, status,
        inputs, articles_new, versions, copies, articles_seen, failures, not_extracted,
        claims_stored, comparisons_stored
    from run_rows
    order by started_at desc
    limit 1
)

select * from final;
