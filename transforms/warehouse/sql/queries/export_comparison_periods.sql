-- Export: the `comparison_periods` view (comparisons across periods, with both periods and
-- their provenance columns). Filters, NULL means "no filter":
--   $metric, $subject      exact match
--   $source                the reporter or the named source
--   $since, $until         the end of the left (compared) period, else the publication date
with comparison_rows as (
    select * from comparison_periods
),

filtered as (
    select *
    from comparison_rows
    where (cast($metric as varchar) is null or metric = $metric)
      and (cast($subject as varchar) is null or subject = $subject)
      and (cast($source as varchar) is null or reporter = $source or source = $source)
      and (cast($since as date) is null or coalesce(left_end, published) >= cast($since as date))
      and (cast($until as date) is null or coalesce(left_end, published) <= cast($until as date))
),

final as (
    select *
    from filtered
    order by metric nulls last, coalesce(left_end, published), comparison_id
)

select * from final;
