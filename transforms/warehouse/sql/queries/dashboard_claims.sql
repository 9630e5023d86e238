-- Dashboard: every dated claim (the `series` view, copies counted once), ordered for charting,
-- with `charted` = true for the points drawn on the metric charts. To keep the charts usable at
-- any size, each (metric, unit, subject, kind, reporter, as_of) group is drawn as at most two points,
-- its lowest and highest value (ties: the one published last); every claim stays in the table.
-- Dates are days since 1970-01-01 (compact in the page's JSON).
with series_rows as (
    select
        *,
        (coalesce(published, date '0001-01-01'), claim_id) as recency
    from series
),

ranked as (
    select
        *,
        row_number() over (
            partition by metric, unit, subject, kind, reporter, as_of
            order by value asc, recency desc) as low_rank,
        row_number() over (
            partition by metric, unit, subject, kind, reporter, as_of
            order by value desc, recency desc) as high_rank
    from series_rows
    where value is not null and metric is not null
),

charted as (
    select claim_id from ranked where low_rank = 1 or high_rank = 1
),

final as (
    select
        s.metric, s.subject, s.kind, s.change, s.bound, s.unit,
        s.value, s.low, s.high,
        datediff('day', date '1970-01-01', s.as_of) as as_of,
        datediff('day', date '1970-01-01', s.period_start) as period_start,
        datediff('day', date '1970-01-01', cast(s.published as date)) as published,
        s.reporter, s.source, s.origin, s.url, s.title, s.sentence,
        c.claim_id is not null as charted
    from series_rows as s
    left join charted as c on c.claim_id = s.claim_id
    order by s.metric nulls last, s.unit, s.as_of, s.reporter, s.claim_id
)

select * from final;
