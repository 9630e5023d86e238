-- articles: one row per stored article version; a copy of another article is marked by copy_of,
-- a later version of an article by version_of (the first version's article_id) and version.
-- Public interface, documented in README.md.
create or replace view articles as
select
    article_id,
    url,
    canonical_url,
    title,
    author,
    site,
    published,
    date_source,
    fetched,
    content_hash,
    copy_of,
    version_of,
    version,
    source,
    language,
    feed_title,
    feed_date,
    n_chars
from article_records;
