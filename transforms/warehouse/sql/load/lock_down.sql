-- What a query on a reader may touch (claimtrack sql, exports, the dashboard): only the database
-- attached read-only, and the file or folder claimtrack itself writes ($paths: an export's
-- output). External access off: no COPY, EXPORT DATABASE, ATTACH or read_text/read_csv of any
-- other file, no INSTALL/LOAD of extensions from disk or the network. Then the configuration is
-- locked, so no SET or RESET can undo any of it.
set allowed_paths = $paths;
set allowed_directories = $paths;
set enable_external_access = false;
set lock_configuration = true;
