-- Dashboard: flagged steps of the `daily` view (totals that went down, increments that differ
-- from the one-day figure, dates with several totals), most recent first ($limit rows).
with daily_rows as (
    select * from daily
),

final as (
    select
        metric, subject, reporter, unit, as_of, prev_as_of, prev_total, total,
        increment, reported_day, revision, disagrees, restated, url
    from daily_rows
    where revision or disagrees or restated
    order by as_of desc, metric, reporter
    limit $limit
)

select * from final;
