"""claimtrack's library: pure functions for text, numbers, dates, claims, polars
normalisation, and the one DuckDB boundary (``transforms.warehouse``).

Nothing in this package imports prefect or does network I/O (``tests/test_boundaries.py``).
"""
