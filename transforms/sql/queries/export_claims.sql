-- Claims for `claimtrack export`, every column of the claims view (provenance included).
-- Parameters (null = no filter): $metric; $since and $until compare with the date the figure
-- refers to (period_end, else the publication date).
select *
from claims
where ($metric is null or metric = $metric)
  and ($since is null or coalesce(period_end, published) >= $since)
  and ($until is null or coalesce(period_end, published) <= $until)
order by metric nulls last, coalesce(period_end, published), published, article_id, "start";
