-- claimtrack storage, version 2: keep what the feed item said about an article it linked to.
-- Idempotent.
alter table article_records add column if not exists feed_title varchar;  -- the item's title
alter table article_records add column if not exists feed_date date;      -- the item's date (UTC)
