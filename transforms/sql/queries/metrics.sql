-- The metrics that have at least one stored claim.
select distinct metric
from claims
where metric is not null
order by metric;
