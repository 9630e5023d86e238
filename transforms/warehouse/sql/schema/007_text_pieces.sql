-- claimtrack storage, version 7: article texts in pieces of at most 1,024 characters, in a table
-- of their own (article_text_pieces); article_records keeps the text's length (n_chars).
-- Every load appends a batch and checkpoints, and DuckDB then rewrites the table's last,
-- partly filled row group whole (2,048 rows in the writers' engine). With a whole text per row,
-- that row group held up to 2,048 texts of several KB each, and each load's memory and time grew
-- with it until the group was full: +11 MB / 66 ms at first, +42 MB / 147 ms at 2,048 articles
-- of 8 KB, then the same again (benchmarks/load_memory.py). In pieces, a row group holds at most
-- 2,048 x 1,024 characters, and a load takes the same memory at any size. The public view
-- article_texts puts each text back together; claims' offsets index into that text.
-- Applied once (as every version), in one transaction with its schema_version row.

create table article_text_pieces (
    article_id  varchar not null,
    part        integer not null,           -- 0, 1, 2 ... in text order
    text        varchar not null            -- characters part * 1,024 + 1 .. (part + 1) * 1,024
);

insert into article_text_pieces
select article_id, part, substring(text, part * 1024 + 1, 1024) as text
from (
    select article_id, text, unnest(range(0, (length(text) + 1023) // 1024)) as part
    from article_records
);

create table article_records_v7 (
    article_id     varchar primary key,     -- from canonical_url, else from content_hash
    url            varchar not null,        -- where it was read: http(s) URL or file:// URI
    canonical_url  varchar,                 -- tracking parameters dropped; null for local text
    title          varchar,
    author         varchar,
    site           varchar,
    published      date,                    -- null when no date could be found (never invented)
    date_source    varchar,                 -- given | metadata | feed | text | null
    fetched        timestamptz not null,    -- first time this article was read (UTC)
    content_hash   varchar not null,        -- sha256 of the normalised text
    n_chars        bigint not null,         -- length of the text (in article_text_pieces)
    source         varchar,                 -- named source from sources.toml, if any
    language       varchar,
    copy_of        varchar,                 -- article_id of the first article with the same text
    feed_title     varchar,                 -- the feed item's title
    feed_date      date                     -- the feed item's date (UTC)
);

insert into article_records_v7 by name
select * exclude (text), length(text) as n_chars from article_records;
drop table article_records;
alter table article_records_v7 rename to article_records;
