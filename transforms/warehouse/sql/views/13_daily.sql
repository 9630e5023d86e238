-- daily: for each cumulative series of one reporter (metric, subject, reporter, unit), the
-- total for each as_of date, the increment since the previous as_of date, and the one-day
-- `period` figure the same reporter gave for that date (period_start = period_end = as_of)
-- beside it when both exist. Flags:
--   revision  - the total went down since the previous date;
--   disagrees - consecutive days (gap_days = 1) whose increment differs from the one-day figure;
--   restated  - the reporter gave more than one total for that date (the last published wins).
-- The first date of a series has no increment (prev_as_of, increment and gap_days are null).
create or replace view daily as
with series_rows as (
    select
        *,
        (coalesce(published, date '0001-01-01'), seen, claim_id) as recency
    from series
    where value is not null
),

totals_per_date as (
    select
        metric, subject, reporter, unit, as_of,
        arg_max({'value': value, 'claim_id': claim_id, 'published': published, 'url': url},
                recency) as pick,
        count(distinct value) as totals_reported
    from series_rows
    where kind = 'cumulative'
    group by metric, subject, reporter, unit, as_of
),

day_figures as (
    -- a one-day count, signed: "fell by 3" is -3
    select
        metric, subject, reporter, unit, as_of,
        arg_max({'value': case when change = 'down' then -value else value end,
                 'claim_id': claim_id}, recency) as pick
    from series_rows
    where kind = 'period' and period_start = as_of
    group by metric, subject, reporter, unit, as_of
),

steps as (
    select
        metric, subject, reporter, unit, as_of,
        pick.value as total,
        lag(as_of) over w as prev_as_of,
        lag(pick.value) over w as prev_total,
        totals_reported,
        pick.claim_id as claim_id,
        pick.published as published,
        pick.url as url
    from totals_per_date
    window w as (partition by metric, subject, reporter, unit order by as_of)
),

joined as (
    select
        s.*,
        s.total - s.prev_total as increment,
        s.as_of - s.prev_as_of as gap_days,
        d.pick.value as reported_day,
        d.pick.claim_id as day_claim_id
    from steps as s
    left join day_figures as d
        on d.metric is not distinct from s.metric
        and d.subject is not distinct from s.subject
        and d.reporter = s.reporter
        and d.unit is not distinct from s.unit
        and d.as_of = s.as_of
),

final as (
    select
        metric, subject, reporter, unit, as_of, total, prev_as_of, prev_total,
        increment, gap_days, reported_day,
        coalesce(increment < 0, false) as revision,
        coalesce(gap_days = 1 and increment <> reported_day, false) as disagrees,
        totals_reported > 1 as restated,
        claim_id, day_claim_id, published, url
    from joined
)

select * from final;
