-- Export: the `conflicts` view (two reporters more than 5% apart within a day), each side with
-- its provenance: a_source/a_origin/a_title joined from `series` beside the view's a_published,
-- a_url and a_sentence (the same for b_*). Filters, NULL means "no filter":
--   $metric, $subject      exact match
--   $source                either side's reporter or named source
--   $since, $until         a_as_of range, inclusive (b_as_of is the same day or the next)
with conflict_rows as (
    select * from conflicts
),

series_rows as (
    select claim_id, source, origin, title from series
),

filtered as (
    select
        c.*,
        a.source as a_source, a.origin as a_origin, a.title as a_title,
        b.source as b_source, b.origin as b_origin, b.title as b_title
    from conflict_rows as c
    left join series_rows as a on a.claim_id = c.a_claim_id
    left join series_rows as b on b.claim_id = c.b_claim_id
    where (cast($metric as varchar) is null or c.metric = $metric)
      and (cast($subject as varchar) is null or c.subject = $subject)
      and (cast($source as varchar) is null or $source in (c.a_reporter, c.b_reporter, a.source, b.source))
      and (cast($since as date) is null or c.a_as_of >= cast($since as date))
      and (cast($until as date) is null or c.a_as_of <= cast($until as date))
),

final as (
    select
        metric, subject, kind, unit, rel_diff, days_apart,
        a_reporter, a_as_of, a_value, a_source, a_origin, a_published, a_url, a_title,
        a_sentence, a_claim_id,
        b_reporter, b_as_of, b_value, b_source, b_origin, b_published, b_url, b_title,
        b_sentence, b_claim_id
    from filtered
    order by metric, subject, a_as_of, a_reporter, b_reporter
)

select * from final;
