-- Dashboard: the failures of the last run ($limit rows), in the order they happened.
with last_run as (
    select run_id from runs order by started_at desc limit 1
),

final as (
    select f.input, f.stage, f.reason, f."at"
    from failures as f
    semi join last_run as r on r.run_id = f.run_id
    order by f."at", f.input
    limit $limit
)

select * from final;
