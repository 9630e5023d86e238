"""claimtrack: dated numeric claims from news, loaded into DuckDB.

This package (the repository's ``flows/`` folder) is the application: the ``claimtrack`` command
(``claimtrack.cli``), ingestion, the only network code (``claimtrack.ingest``), and the Prefect
``pipeline`` flow with its batches and steps. The library it wires together is
``claimtrack.transforms`` (pure: no Prefect, no network; DuckDB only in its ``warehouse``).

Importing ``claimtrack`` does no work: it imports neither Prefect nor DuckDB and changes nothing
in the process.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
