-- Insert the batch's articles, or update them in place; fetched keeps the first reading, and
-- version the number the article was first stored with.
-- Their texts go to article_text_pieces (replace_text_pieces.sql); n_chars keeps the length.
insert into article_records by name
select * exclude (is_new, text), length(text) as n_chars from batch_articles
on conflict (article_id) do update set
    url = excluded.url,
    canonical_url = excluded.canonical_url,
    title = excluded.title,
    author = excluded.author,
    site = excluded.site,
    published = excluded.published,
    date_source = excluded.date_source,
    content_hash = excluded.content_hash,
    n_chars = excluded.n_chars,
    source = excluded.source,
    language = excluded.language,
    copy_of = excluded.copy_of,
    feed_title = excluded.feed_title,
    feed_date = excluded.feed_date,
    version_of = excluded.version_of;
