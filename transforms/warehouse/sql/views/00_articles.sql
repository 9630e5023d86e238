-- articles: one row per stored article; a copy of another article is marked by copy_of.
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
    source,
    language,
    feed_title,
    feed_date,
    n_chars
from article_records;
