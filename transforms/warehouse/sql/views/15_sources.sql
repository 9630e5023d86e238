-- sources: per reporter, named source and origin, how many dated claims (copies counted
-- once), from how many articles and sites, which metrics, and when first and last seen
-- (publication dates) and the as_of range they cover. `source` null = the site's own voice.
-- It counts claims and never adds or compares values; `units` lists the units they come in.
create or replace view sources as
with series_rows as (
    select * from series
),

final as (
    select
        reporter,
        source,
        origin,
        count(*) as claims,
        count(distinct article_id) as articles,
        list(distinct metric order by metric) filter (where metric is not null) as metrics,
        list(distinct unit order by unit) filter (where unit is not null) as units,
        list(distinct site order by site) filter (where site is not null) as sites,
        min(published) as first_seen,
        max(published) as last_seen,
        min(as_of) as first_as_of,
        max(as_of) as last_as_of
    from series_rows
    group by reporter, source, origin
)

select * from final;
