-- The metrics that have at least one stored claim or comparison.
with named as (
    select metric from claims where metric is not null
    union
    select metric from comparisons where metric is not null
)

select metric from named order by metric;
