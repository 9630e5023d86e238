-- Export: the `sources` view (per reporter, named source and origin: claims, metrics, first
-- and last seen). An aggregate, not claims: there is no sentence or url per row. Filters,
-- NULL means "no filter" (there is no subject filter):
--   $metric                sources with at least one claim of this metric
--   $source                the reporter or the named source
--   $since, $until         sources whose as_of range [first_as_of, last_as_of] overlaps them
with source_rows as (
    select * from sources
),

filtered as (
    select *
    from source_rows
    where (cast($metric as varchar) is null or list_contains(metrics, $metric))
      and (cast($source as varchar) is null or reporter = $source or source = $source)
      and (cast($since as date) is null or last_as_of >= cast($since as date))
      and (cast($until as date) is null or first_as_of <= cast($until as date))
),

final as (
    select *
    from filtered
    order by claims desc, reporter, source nulls first, origin nulls first
)

select * from final;
