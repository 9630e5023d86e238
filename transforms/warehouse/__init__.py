"""The one DuckDB boundary: connect, apply the schema, load batches, run queries, export.

DuckDB locks a database file against every other process while one holds it read-write, so
writers open, write one batch in one transaction and close at once, and every opener (reader
or writer) retries the lock error with a short backoff and a message on stderr. Every
connection runs ``SET TimeZone='UTC'``. All SQL lives in ``transforms/warehouse/sql/``: ``schema/NNN_*.sql``
(versioned, idempotent, applied in order), ``views/*.sql`` (applied in filename order after the
schema) and ``load/*.sql`` (the statements used here).

Modules: ``core`` (errors, SQL files, transactions), ``schema``, ``engine`` (opening readers and
writers), ``loads`` (every write), ``exports`` (queries and ``COPY``) and ``flat`` (nested columns as
JSON text); ``catalog`` describes the public views (``views.yaml``). Callers import this
package only.
"""

from claimtrack.transforms.warehouse.catalog import Column, View, public_views
from claimtrack.transforms.warehouse.core import (
    SQL_DIR,
    ExportError,
    QueryError,
    WarehouseError,
    in_transaction,
    one_transaction,
    sql_file,
)
from claimtrack.transforms.warehouse.engine import (
    LOCK_WAIT_SECONDS,
    WRITER_MEMORY_LIMIT,
    WRITER_ROW_GROUP_SIZE,
    check_ours,
    connect,
    opened,
    wal_of,
)
from claimtrack.transforms.warehouse.exports import EXPORT_OPTIONS, export, export_csv, query
from claimtrack.transforms.warehouse.flat import json_text_query, nested_columns
from claimtrack.transforms.warehouse.loads import (
    LoadCounts,
    abandon_runs,
    finish_run,
    finish_run_extra,
    known_articles,
    load_batch,
    replace_article_claims,
    rows_of,
    running_runs,
    save_feed_states,
    stale_articles,
    start_run,
)
from claimtrack.transforms.warehouse.schema import apply_schema, schema_files, view_files, views_hash

__all__ = [
    "EXPORT_OPTIONS",
    "LOCK_WAIT_SECONDS",
    "SQL_DIR",
    "WRITER_MEMORY_LIMIT",
    "WRITER_ROW_GROUP_SIZE",
    "Column",
    "ExportError",
    "LoadCounts",
    "QueryError",
    "View",
    "WarehouseError",
    "abandon_runs",
    "apply_schema",
    "check_ours",
    "connect",
    "export",
    "export_csv",
    "finish_run",
    "finish_run_extra",
    "in_transaction",
    "json_text_query",
    "known_articles",
    "load_batch",
    "nested_columns",
    "one_transaction",
    "opened",
    "public_views",
    "query",
    "replace_article_claims",
    "rows_of",
    "running_runs",
    "save_feed_states",
    "schema_files",
    "sql_file",
    "stale_articles",
    "start_run",
    "view_files",
    "views_hash",
    "wal_of",
]
