-- What a run needs to know to skip stored articles: ids, URLs and text hashes (one read per run).
select article_id, url, canonical_url, content_hash
from article_records;
