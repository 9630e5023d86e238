-- Export: the `claims` view (every claim, dated or not, with its provenance columns),
-- filtered by named parameters. Pass all five; NULL means "no filter":
--   $metric, $subject      exact match
--   $source                the named source, else the site stating the figure in its own voice
--   $since, $until         the date the figure refers to (period_end, else published), inclusive
-- Example: claimtrack export --view claims --metric treason_convictions -o treason.csv
with claim_rows as (
    select * from claims
),

filtered as (
    select *
    from claim_rows
    where (cast($metric as varchar) is null or metric = $metric)
      and (cast($subject as varchar) is null or subject = $subject)
      and (cast($source as varchar) is null or source = $source or (source is null and site = $source))
      and (cast($since as date) is null or coalesce(period_end, published) >= cast($since as date))
      and (cast($until as date) is null or coalesce(period_end, published) <= cast($until as date))
),

final as (
    select *
    from filtered
    order by metric nulls last, coalesce(period_end, published), published, article_id, "start"
)

select * from final;
