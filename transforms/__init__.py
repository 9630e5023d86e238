"""claimtrack's library, by stage: ``pages`` (page or text -> main text, metadata, date,
identity) -> ``numbers`` and ``periods`` (quantities and time expressions) -> ``claims`` (the
extractor) -> ``normalize`` (typed polars frames) -> ``warehouse`` (the one DuckDB boundary,
with its SQL) -> ``dashboard`` (frames -> HTML). ``model`` holds the records they share,
``rules`` the loader of the YAML tables in ``data/``.

Pure: nothing here imports Prefect or does network I/O, and only ``warehouse`` imports DuckDB
(``tests/test_boundaries.py``). Each package is used through its ``__init__``.
"""

__all__ = ["claims", "dashboard", "model", "normalize", "numbers", "pages", "periods", "rules", "warehouse"]
