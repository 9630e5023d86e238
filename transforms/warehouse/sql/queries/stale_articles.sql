-- Articles (originals, not copies) with a claim or comparison from another extractor version
-- than $version; every original when $all.
with originals as (
    select article_id from article_records where copy_of is null
),
stale as (
    select article_id from claim_records where extractor_version <> $version
    union
    select article_id from comparison_records where extractor_version <> $version
),
final as (
    select article_id from originals
    where $all or article_id in (from stale)
)
select * from final order by article_id;
