-- Dashboard: the last run (most recently started), zero or one row, from the `runs` table; with
-- $stored_only, the last run that stored a new article or a claim (shown beside the last run
-- when that one stored nothing).
with run_rows as (
    select * from runs
    where not $stored_only or coalesce(articles_new, 0) > 0 or coalesce(claims_stored, 0) > 0
),

final as (
    select
        run_id, started_at, finished_at, status,
        articles_read, articles_new, copies, claims_stored, comparisons_stored, failures
    from run_rows
    order by started_at desc
    limit 1
)

select * from final;
