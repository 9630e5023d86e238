-- What a run needs to know to skip stored articles and find new versions and copies: ids, first
-- versions, URLs, text hashes and when each was read (one read per run).
select
    article_id,
    coalesce(version_of, article_id) as first_version,
    url,
    canonical_url,
    content_hash,
    copy_of is null as original,
    fetched
from article_records;
