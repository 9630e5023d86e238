-- Export: the `series` view (one row per dated claim, copies counted once) with every
-- provenance column, filtered by named parameters. Pass all five; NULL means "no filter":
--   $metric, $subject      exact match
--   $source                the reporter (named source, else the site) or the named source
--   $since, $until         as_of range, inclusive (DATE or ISO text)
-- Example: claimtrack export --metric troop_losses --since 2024-01-01 -o troop_losses.parquet
with series_rows as (
    select * from series
),

filtered as (
    select *
    from series_rows
    where (cast($metric as varchar) is null or metric = $metric)
      and (cast($subject as varchar) is null or subject = $subject)
      and (cast($source as varchar) is null or reporter = $source or source = $source)
      and (cast($since as date) is null or as_of >= cast($since as date))
      and (cast($until as date) is null or as_of <= cast($until as date))
),

final as (
    select
        metric, subject, as_of, period_start, kind, change, value, low, high, bound, unit,
        reporter, source, origin, published, url, title, site, sentence, text,
        claim_id, article_id, extractor_version
    from filtered
    order by metric, subject, as_of, reporter, claim_id
)

select * from final;
