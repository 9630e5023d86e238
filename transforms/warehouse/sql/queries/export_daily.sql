-- Export: the `daily` view (increments of running totals per reporter, with flags) and the
-- provenance of each date's total (source, origin, sentence, title of its claim; `published`
-- and `url` are already in the view). Filters, NULL means "no filter":
--   $metric, $subject      exact match
--   $source                the reporter, or the total's named source
--   $since, $until         as_of range, inclusive
with daily_rows as (
    select * from daily
),

series_rows as (
    select claim_id, source, origin, sentence, title from series
),

filtered as (
    select d.*, s.source, s.origin, s.sentence, s.title
    from daily_rows as d
    left join series_rows as s on s.claim_id = d.claim_id
    where (cast($metric as varchar) is null or d.metric = $metric)
      and (cast($subject as varchar) is null or d.subject = $subject)
      and (cast($source as varchar) is null or d.reporter = $source or s.source = $source)
      and (cast($since as date) is null or d.as_of >= cast($since as date))
      and (cast($until as date) is null or d.as_of <= cast($until as date))
),

final as (
    select
        metric, subject, reporter, unit, as_of, total, prev_as_of, prev_total, increment,
        gap_days, reported_day, revision, disagrees, restated,
        source, origin, published, url, title, sentence, claim_id, day_claim_id
    from filtered
    order by metric, subject, reporter, unit, as_of
)

select * from final;
