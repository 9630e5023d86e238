-- The stored validators of every feed.
select url, etag, last_modified
from feed_state;
