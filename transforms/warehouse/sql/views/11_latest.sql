-- latest: per metric, subject and kind, the figure for the most recent as_of date, with every
-- reporter that gave a figure for that date. The figure shown (value, low, high, bound, unit,
-- claim_id, url) is the one published last for that date (ties: the one read last, then the
-- highest claim_id);
-- `min_value`/`max_value` show whether the reporters agree. Kind is part of the key: a running
-- total and a one-day count are different figures.
create or replace view latest as
with series_rows as (
    select
        *,
        (coalesce(published, date '0001-01-01'), seen, claim_id) as recency
    from series
),

last_dates as (
    select metric, subject, kind, max(as_of) as as_of
    from series_rows
    group by all
),

at_last_date as (
    select s.*
    from series_rows as s
    semi join last_dates as d
        on d.metric is not distinct from s.metric
        and d.subject is not distinct from s.subject
        and d.kind is not distinct from s.kind
        and d.as_of = s.as_of
),

grouped as (
    -- arg_max over a struct keeps the winning row whole (arg_max skips NULL arguments)
    select
        metric,
        subject,
        kind,
        as_of,
        arg_max(
            {'value': value, 'low': low, 'high': high, 'bound': bound, 'unit': unit,
             'published': published, 'claim_id': claim_id, 'url': url},
            recency
        ) as pick,
        list(distinct reporter order by reporter) as sources,
        count(*) as reports,
        min(value) as min_value,
        max(value) as max_value
    from at_last_date
    group by metric, subject, kind, as_of
),

final as (
    select
        metric, subject, kind, as_of,
        pick.value, pick.low, pick.high, pick.bound, pick.unit,
        sources, reports, min_value, max_value,
        pick.published, pick.claim_id, pick.url
    from grouped
)

select * from final;
