-- claimtrack storage, version 3: what each feed said last time, for conditional requests.
-- Idempotent. A feed unchanged since (ETag / Last-Modified) answers 304 and costs one request.
create table if not exists feed_state (
    url            varchar primary key,     -- the feed URL as requested
    etag           varchar,                 -- the ETag header of its last 200 answer, if any
    last_modified  varchar,                 -- the Last-Modified header of its last 200 answer, if any
    changed_at     timestamptz not null     -- when those validators were stored (UTC)
);
