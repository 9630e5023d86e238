-- Dashboard: the last run (most recently started), zero or one row, from the `runs` table.
with run_rows as (
    select * from runs
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
