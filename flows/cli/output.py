"""How ``claimtrack sql`` prints rows, and the formats ``sql`` and ``export`` share.

Formats: ``table`` (aligned, for people), ``csv`` and ``tsv`` (a header line, ISO dates, nulls
as empty fields), ``json`` (one array), ``jsonl`` (one object per line) and ``markdown`` (a
GitHub table). Nested values (lists such as ``latest.sources``, structs) are compact JSON text
in every flat format (csv, tsv, markdown, table) and stay nested in json and jsonl, so every
view prints in every format. ``table`` cuts long values only when it writes to a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import IO, Any

import polars as pl

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
TERMINAL_WIDTH = 60  # characters of a value ``table`` shows on a terminal (--max-width)
NO_CUT = 1_000_000  # polars needs a number: longer than any stored value
DATETIME = "%Y-%m-%dT%H:%M:%S%.6fZ"  # times are UTC; as export's CSV and JSON Lines (DuckDB's COPY)


def write_frame(frame: pl.DataFrame, fmt: str, out: IO[str], max_width: int | None = None) -> None:
    """Write ``frame`` to ``out`` in ``fmt`` (one of ``FORMATS``); ``table`` cuts values longer
    than ``max_width`` characters (None: never)."""
    if fmt in ("csv", "tsv"):
        separator = "," if fmt == "csv" else "\t"
        out.write(flatten(frame).write_csv(separator=separator, date_format="%Y-%m-%d", datetime_format=DATETIME))
    elif fmt == "json":
        out.write(json.dumps(frame.to_dicts(), default=iso, ensure_ascii=False) + "\n")
    elif fmt == "jsonl":
        out.writelines(_compact(row) + "\n" for row in frame.iter_rows(named=True))
    elif fmt == "markdown":
        out.write(_text_table(_markdown_cells(flatten(frame)), NO_CUT) + "\n")
    else:
        out.write(f"{_text_table(flatten(frame), max_width or NO_CUT)}\n({frame.height} rows)\n")


def iso(value: Any) -> str:
    """JSON fallback: dates and times as ISO 8601 (times in UTC, ``...T09:21:13.410011Z``, as
    export writes them), anything else as its string."""
    if isinstance(value, datetime):
        utc = value.astimezone(UTC) if value.tzinfo else value
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def flatten(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every nested column (list, array, struct) as compact JSON text, nulls kept."""
    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.with_columns(
        pl.Series(name, list(_json_texts(frame[name])), dtype=pl.Utf8, strict=False) for name in nested
    )


def _json_texts(column: pl.Series) -> Iterator[str | None]:
    """Each value of ``column`` as compact JSON text (None stays None)."""
    for value in column.to_list():
        yield None if value is None else _compact(value)


def _compact(value: Any) -> str:
    """``value`` as compact JSON (no spaces, as DuckDB writes it), ISO dates, UTF-8 text."""
    return json.dumps(value, default=iso, ensure_ascii=False, separators=(",", ":"))


def _markdown_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """Text columns safe inside a GitHub table cell: ``|`` escaped, line breaks as ``<br>``."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.Utf8]
    return frame.with_columns(
        pl.col(text).str.replace_all("|", r"\|", literal=True).str.replace_all("\r?\n", "<br>")
    ).rename({name: name.replace("|", r"\|") for name in frame.columns})


def _text_table(frame: pl.DataFrame, max_width: int) -> str:
    """``frame`` as an aligned table with ``|`` borders (polars' own), every row and column."""
    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        fmt_str_lengths=max_width,
        fmt_table_cell_list_len=-1,
        tbl_width_chars=65_535,  # polars' largest
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
        tbl_formatting="ASCII_MARKDOWN",
    ):
        return str(frame)
