-- The least size the attached database's file can have: its three header blocks (4 KiB each)
-- and every block its own header says is in use. A smaller file has been cut short.
select 3 * 4096 + used_blocks * block_size as used_bytes
from pragma_database_size()
where database_name = current_database();
