-- Record that schema/NNN_*.sql has been applied.
insert into schema_version (version, name, applied_at)
values ($version, $name, now())
on conflict do nothing;
