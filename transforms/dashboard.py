"""Render the claimtrack dashboard: polars frames in, one self-contained HTML string out.

Pure: no database, no Prefect, no network. The frames come from the named queries
``transforms/warehouse/sql/queries/dashboard_*.sql`` (see ``DASHBOARD_QUERIES``); the page's assets
(template, app script and style, the vendored uPlot build) are read by ``load_assets`` and
inlined, so the page opens from ``file://`` with no network.

The claims travel as one columnar, dictionary-encoded JSON object (strings such as metric,
source, URL and sentence are stored once and referenced by index): charts and the table
share it, so 100,000 claims cost one copy of the data, not three.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

ASSETS_DIR = Path(str(resources.files("claimtrack.dashboards")))
UPLOT_DIR = "vendor/uplot-1.6.32"

# name -> (query file under transforms/warehouse/sql/queries/, named parameters)
DASHBOARD_QUERIES: dict[str, tuple[str, dict[str, Any]]] = {
    "claims": ("dashboard_claims.sql", {}),
    "conflicts": ("dashboard_conflicts.sql", {"limit": 500}),
    "revisions": ("dashboard_revisions.sql", {"limit": 500}),
    "totals": ("dashboard_totals.sql", {}),
    "last_run": ("dashboard_last_run.sql", {"stored_only": False}),
    "last_stored_run": ("dashboard_last_run.sql", {"stored_only": True}),
    "failures": ("dashboard_failures.sql", {"limit": 500}),
}

# claim columns sent as dictionary codes (repeated strings) or as plain values (numbers, days)
DICT_COLUMNS = (
    "metric",
    "subject",
    "kind",
    "change",
    "bound",
    "unit",
    "reporter",
    "source",
    "origin",
    "url",
    "title",
    "sentence",
)
VALUE_COLUMNS = ("value", "low", "high", "as_of", "period_start", "published")


@dataclass(frozen=True)
class DashboardAssets:
    """Text of every file inlined into the page."""

    template: str
    app_js: str
    app_css: str
    chart_js: str
    chart_css: str


def load_assets(directory: Path = ASSETS_DIR) -> DashboardAssets:
    """Read the template, app script/style and the vendored uPlot from ``directory``.

    :raises FileNotFoundError: if one of the files is missing.
    """

    def read(name: str) -> str:
        return (directory / name).read_text(encoding="utf-8")

    return DashboardAssets(
        template=read("template.html"),
        app_js=read("app.js"),
        app_css=read("app.css"),
        chart_js=read(f"{UPLOT_DIR}/uPlot.iife.min.js"),
        chart_css=read(f"{UPLOT_DIR}/uPlot.min.css"),
    )


def encode_claims(claims: pl.DataFrame) -> dict[str, Any]:
    """Encode the ``dashboard_claims`` frame column by column.

    Input: a frame with the columns of ``DICT_COLUMNS``, ``VALUE_COLUMNS`` and ``charted``
    (missing ones are sent as nulls). Output: ``{"n": rows, "columns": {name: {"dict": [...],
    "codes": [...]} | {"values": [...]}}, "charted": [row indices]}``.
    """
    n = claims.height
    columns: dict[str, Any] = {}
    for name in DICT_COLUMNS:
        series = claims[name] if name in claims.columns else pl.Series(name, [None] * n)
        columns[name] = _dictionary(series.cast(pl.String))
    for name in VALUE_COLUMNS:
        series = claims[name] if name in claims.columns else pl.Series(name, [None] * n)
        columns[name] = {"values": series.to_list()}
    charted = claims["charted"] if "charted" in claims.columns else pl.Series([False] * n)
    indices = pl.Series(range(n)).filter(charted.fill_null(False)).to_list()
    return {"n": n, "columns": columns, "charted": indices}


def _dictionary(series: pl.Series) -> dict[str, Any]:
    """Return ``{"dict": distinct non-null values, "codes": index per row or None}``."""
    values = series.drop_nulls().unique(maintain_order=True)
    codes = series.replace_strict(values, pl.Series(range(values.len())), default=None, return_dtype=pl.Int64)
    return {"dict": values.to_list(), "codes": codes.to_list()}


def records(frame: pl.DataFrame | None) -> list[dict[str, Any]]:
    """Return a small frame as JSON-ready records (dates and times as ISO strings)."""
    if frame is None:
        return []
    return [{k: _jsonable(v) for k, v in row.items()} for row in frame.to_dicts()]


def _jsonable(value: Any) -> Any:
    """Dates/times to ISO text, lists recursively, other non-JSON values to ``str``."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def build_payload(frames: dict[str, pl.DataFrame], generated_at: datetime, db_name: str) -> dict[str, Any]:
    """Assemble the page's data from the frames named in ``DASHBOARD_QUERIES``.

    ``claims`` is required; every other frame may be missing (an empty section is shown).
    """
    totals = records(frames.get("totals"))
    return {
        "generated": generated_at.isoformat(timespec="seconds"),
        "db": db_name,
        "claims": encode_claims(frames["claims"]),
        "conflicts": records(frames.get("conflicts")),
        "revisions": records(frames.get("revisions")),
        "totals": totals[0] if totals else {},
        "last_run": next(iter(records(frames.get("last_run"))), None),
        "last_stored_run": next(iter(records(frames.get("last_stored_run"))), None),
        "failures": records(frames.get("failures")),
    }


def script_json(payload: dict[str, Any]) -> str:
    """Serialise ``payload`` for a ``<script type="application/json">`` element.

    ``<``, ``>`` and ``&`` are escaped so no text from an article can close the element.
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_dashboard(
    frames: dict[str, pl.DataFrame], assets: DashboardAssets, generated_at: datetime, db_name: str = "claimtrack.duckdb"
) -> str:
    """Return the whole dashboard page as one HTML string.

    Inputs: the frames of ``DASHBOARD_QUERIES`` (at least ``claims``), the inlined assets,
    the generation time and the database's file name (shown in the header).
    """
    payload = script_json(build_payload(frames, generated_at, db_name))
    parts = {
        "/*{{CHART_CSS}}*/": assets.chart_css,
        "/*{{APP_CSS}}*/": assets.app_css,
        "/*{{CHART_JS}}*/": _safe_script(assets.chart_js),
        "/*{{APP_JS}}*/": _safe_script(assets.app_js),
    }
    html = assets.template
    for marker, text in parts.items():
        html = html.replace(marker, text, 1)
    return html.replace("{{DATA_JSON}}", payload, 1)


def _safe_script(code: str) -> str:
    """Guard inlined code against a literal ``</script`` (none today; cheap insurance)."""
    return code.replace("</script", "<\\/script")
