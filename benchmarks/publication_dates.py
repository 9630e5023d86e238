"""Publication dates on real news pages: claimtrack against trafilatura and htmldate.

usage: python benchmarks/publication_dates.py [--jobs N] [--no-url] [--no-meta] [--stored DB] [--errors]

Reads the 258 fundus pages of ../shared/corpus/fundus_news_pages (read only, for measurement)
and prints, for the pages with a usable truth, the share whose date each method gets right:

  trafilatura default   trafilatura.extract_metadata(html, default_url=url).date (htmldate's
                        extensive search, original dates)
  htmldate extensive    htmldate.find_date(html, url=url, extensive_search=True, original_date=True)
  claimtrack            claimtrack's page reading as ``claimtrack run`` does it: html_to_text
                        (read at the crawl time) then resolve_published

Each method gets the page's original URL (from meta.info) unless ``--no-url``; ``--no-meta``
strips every ``<meta>`` and JSON-LD block first (pages that state their date only in the text,
a stress test of the fallbacks). ``--stored DB``
compares instead the dates that ``claimtrack run FOLDER --db DB`` stored for the pages gunzipped
into FOLDER as ``<country>/<file>.html`` (the real path: local files, no URL).

The truth is fundus' ``publishing_date`` (its maintainers' reviewed parser output, of the parser
version whose title is in the page), as written: its local calendar date. The file name's date is
the crawl date, not the publication date. A truth after the crawl is unusable (a day/month swap
in fundus' parser: 06.01.2026 read as 2026-06-01); 256 of 258 are usable.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from multiprocessing import Pool
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "fundus_news_pages"
METHODS = ("trafilatura default", "htmldate extensive", "claimtrack")
METADATA = re.compile(r"<meta\b[^>]*>|<script[^>]*application/ld\+json[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Page:
    """One corpus page: ``file`` ("<country>/<Publisher>_<YYYY_MM_DD>.html.gz"), its original
    URL and crawl time (UTC), the truth as fundus stores it, and its date (None: unusable)."""

    file: str
    url: str
    crawl: datetime
    truth_iso: str
    truth: date | None

    def html(self) -> str:
        return gzip.decompress((CORPUS / self.file).read_bytes()).decode("utf-8", "replace")


def version_of(file: str, versions: dict[str, Any], manifest: dict[str, str]) -> dict[str, Any]:
    """The fundus parser version of ``file``: manifest.csv's link, else the version whose title
    is in the page."""
    if file in manifest:
        return dict(versions[manifest[file]])
    raw = html.unescape(gzip.decompress((CORPUS / file).read_bytes()).decode("utf-8", "replace"))
    hits = [v for v in versions.values() if v["title"].strip("\u200b")[:60] in raw]
    return dict(hits[0])


def utc(stamp: datetime) -> datetime:
    """``stamp`` as a naive UTC time (naive stamps are taken as UTC already)."""
    return stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp


def load_pages() -> list[Page]:
    """Every corpus page with its truth (see the module docstring)."""
    with (CORPUS / "manifest.csv").open(encoding="utf-8") as handle:
        manifest = {r["html_file"]: r["version_key"] for r in csv.DictReader(handle) if r["html_file"]}
    pages = []
    for meta_file in sorted(CORPUS.glob("*/meta.info")):
        metas = json.loads(meta_file.read_text(encoding="utf-8"))
        for path in sorted(meta_file.parent.glob("*.html.gz")):
            file, meta = f"{meta_file.parent.name}/{path.name}", metas[path.name]
            versions = json.loads((path.parent / f"{path.name.rsplit('_', 3)[0]}.json").read_text(encoding="utf-8"))
            iso = version_of(file, versions, manifest)["publishing_date"]
            crawl, stated = utc(datetime.fromisoformat(meta["crawl_date"])), datetime.fromisoformat(iso)
            late = utc(stated) > crawl if stated.tzinfo else stated.date() > crawl.date()
            pages.append(Page(file, meta["url"], crawl, iso, None if late else stated.date()))
    return pages


def run_page(job: tuple[Page, bool, bool]) -> tuple[str, dict[str, tuple[str | None, str, float]]]:
    """Every method on one page: ``{method: (ISO date or None, claimtrack's evidence, seconds)}``."""
    from htmldate import find_date
    from trafilatura import extract_metadata

    from claimtrack.transforms.pages import TextError, html_to_text, resolve_published

    page, use_url, strip = job
    logging.disable(logging.CRITICAL)
    text, url = page.html(), (page.url if use_url else None)
    text = METADATA.sub("", text) if strip else text

    def claimtrack() -> tuple[str | None, str]:
        try:
            read = resolve_published(html_to_text(text, url, read_at=page.crawl.replace(tzinfo=UTC)))
        except TextError:  # the run records a failure: no article, no date
            return None, "no text"
        return (read.published.isoformat() if read.published else None), read.date_source or ""

    calls = {
        "trafilatura default": lambda: extract_metadata(text, default_url=url).date,
        "htmldate extensive": lambda: find_date(text, url=url, extensive_search=True, original_date=True),
        "claimtrack": claimtrack,
    }
    out = {}
    for name, call in calls.items():
        start = time.perf_counter()
        got = call()
        day, label = got if isinstance(got, tuple) else (got, "")
        out[name] = (day, label, time.perf_counter() - start)
    return page.file, out


def stored_dates(db: Path) -> dict[str, tuple[str | None, str, float]]:
    """The dates ``claimtrack run`` stored, by corpus file (``<country>/<name>.html.gz``)."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        columns = {row[0] for row in con.sql("describe articles").fetchall()}
        first = "where version_of is null" if "version_of" in columns else ""  # a database before versions
        rows = con.sql(f"select url, published, date_source from articles {first}").fetchall()
    found = {}
    for url, published, source in rows:
        country, name = url.rsplit("/", 2)[-2:]
        found[f"{country}/{name}.gz"] = (published.isoformat() if published else None, source or "", 0.0)
    return found


def report(pages: list[Page], results: dict[str, dict[str, tuple[str | None, str, float]]], errors: bool) -> None:
    """Print each method's share of right dates, its time per page, and claimtrack's evidence."""
    usable = [p for p in pages if p.truth is not None]
    print(f"{len(pages)} pages, {len(usable)} with a usable truth")
    print(f"{'method':20s} {'right / usable':>20s} {'ms/page':>8s}")
    for name in METHODS:
        if not all(name in results.get(p.file, {}) for p in usable):
            continue
        right = sum(results[p.file][name][0] == str(p.truth) for p in usable)
        ms = 1000 * sum(results[p.file][name][2] for p in usable) / len(usable)
        print(f"{name:20s} {right / len(usable):.3f} = {right:3d}/{len(usable)} {ms:8.1f}")
    print("claimtrack's evidence:", dict(Counter(results[p.file]["claimtrack"][1] for p in usable).most_common()))
    for p in usable if errors else []:
        day, label, _ = results[p.file]["claimtrack"]
        if day != str(p.truth):
            others = " ".join(f"{n}={results[p.file][n][0]}" for n in METHODS[:2] if n in results[p.file])
            print(f"  {p.file:42s} truth {p.truth_iso[:19]:19s} claimtrack {day} [{label}] {others}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--jobs", type=int, default=1, help="processes (default 1: the machine is shared)")
    parser.add_argument("--no-url", action="store_true", help="do not give the methods the page's URL")
    parser.add_argument("--no-meta", action="store_true", help="strip <meta> and JSON-LD from every page first")
    parser.add_argument("--stored", type=Path, metavar="DB", help="compare the dates claimtrack run stored in DB")
    parser.add_argument("--errors", action="store_true", help="list the pages claimtrack dates wrongly")
    args = parser.parse_args()
    pages = load_pages()
    if args.stored:
        stored = stored_dates(args.stored)
        results = {p.file: {"claimtrack": stored.get(p.file, (None, "not stored", 0.0))} for p in pages}
    else:
        with Pool(args.jobs) as pool:
            results = dict(pool.map(run_page, [(p, not args.no_url, args.no_meta) for p in pages], chunksize=4))
    report(pages, results, args.errors)


if __name__ == "__main__":
    main()
