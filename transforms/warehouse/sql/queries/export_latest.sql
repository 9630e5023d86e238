-- Export: the `latest` view (per metric, subject and kind, the figure for the last as_of date)
-- with the provenance of the figure shown (the claim published last for that date: its source,
-- origin, reporter, sentence, title, url, published). `sources` lists every reporter of that
-- date. Filters as in export_series.sql; NULL means "no filter":
--   $metric, $subject      exact match
--   $source                one of the reporters of the last date, or the figure's named source
--   $since, $until         as_of range, inclusive
with latest_rows as (
    select * from latest
),

series_rows as (
    select claim_id, source, origin, reporter, sentence, title from series
),

filtered as (
    select l.*, s.source, s.origin, s.reporter, s.sentence, s.title
    from latest_rows as l
    left join series_rows as s on s.claim_id = l.claim_id
    where (cast($metric as varchar) is null or l.metric = $metric)
      and (cast($subject as varchar) is null or l.subject = $subject)
      and (cast($source as varchar) is null or list_contains(l.sources, $source) or s.source = $source)
      and (cast($since as date) is null or l.as_of >= cast($since as date))
      and (cast($until as date) is null or l.as_of <= cast($until as date))
),

final as (
    select
        metric, subject, kind, as_of, value, low, high, bound, unit,
        sources, reports, min_value, max_value,
        reporter, source, origin, published, url, title, sentence, claim_id
    from filtered
    order by metric nulls last, subject nulls last, kind
)

select * from final;
